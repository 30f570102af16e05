/** Starting a node:http server: listen, and the URL it can be reached at. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Resolves with `server`'s URL once it listens on `port` (0: a free one) at `host`; rejects on a listen error. */
export async function listenOn(server: Server, port: number, host: string): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${shownHost}:${address.port}`;
}
