/** Servers on the loopback interface for the tests: listening, a port nothing listens on, closing. */
import { Server as HttpServer } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';

/** Listens on 127.0.0.1 (port 0: any free one); resolves with the port and the server's base URL. */
export async function listenOnLoopback(server: Server, port = 0): Promise<{ port: number; url: string }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return { port: bound, url: `http://127.0.0.1:${bound}` };
}

/** A port nothing listens on: bound, then released. */
export async function freePort(): Promise<number> {
  const server = createServer();
  const { port } = await listenOnLoopback(server);
  await closeServer(server);
  return port;
}

/** Stops listening and ends the server's connections now: idle keep-alive ones would hold `close()` up. */
export function closeServer(server: Server): Promise<void> {
  if (server instanceof HttpServer) server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
