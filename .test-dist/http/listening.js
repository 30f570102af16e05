/** Resolves with `server`'s URL once it listens on `port` (0: a free one) at `host`; rejects on a listen error. */
export async function listenOn(server, port, host) {
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, resolve);
    });
    const address = server.address();
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${shownHost}:${address.port}`;
}
