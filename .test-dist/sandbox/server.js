/**
 * The built-in KS Pay sandbox: a real HTTP server on node:http that follows
 * docs/kspay-api.md. This file starts it (listening, sockets, close) and hands out
 * the Sandbox handle; serve.ts answers requests and router.ts knows the endpoints.
 */
import { createServer } from 'node:http';
import { CallCounts, Faults } from './faults.js';
import { DEMO_APP, FIXTURE_SEED } from './fixtures.js';
import { ISSUED_TOKENS_KEPT, TRACEPARENTS_KEPT, transactionsView } from './handle.js';
import { Delays, listeningUrl } from './http-io.js';
import { RecentValues } from './recent.js';
import { requestListener } from './serve.js';
import { SandboxStore } from './store.js';
import { ShapeState } from './views.js';
export async function startSandbox(options = {}) {
    const issued = new RecentValues(ISSUED_TOKENS_KEPT);
    const store = new SandboxStore(FIXTURE_SEED, {
        accessTokenTtlMs: options.accessTokenTtlMs ?? 15 * 60_000,
        refreshTokenTtlMs: options.refreshTokenTtlMs ?? 24 * 60 * 60_000,
        signatureTtlMs: options.signatureTtlMs ?? 15 * 60_000,
        onTokensIssued: (pair) => issued.push(pair.accessToken, pair.refreshToken),
    });
    const state = {
        store,
        calls: new CallCounts(),
        faults: new Faults(),
        shapes: new ShapeState(),
        delays: new Delays(),
        publicUrl: '',
    };
    const traceparents = new RecentValues(TRACEPARENTS_KEPT);
    const listener = requestListener(state);
    const server = createServer((req, res) => {
        const { traceparent } = req.headers;
        if (typeof traceparent === 'string')
            traceparents.push(traceparent);
        listener(req, res);
    });
    const sockets = openSockets(server);
    await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
    const url = listeningUrl(server.address());
    state.publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');
    return {
        url,
        credentials: { appId: DEMO_APP.id, accessKey: DEMO_APP.accessKey, secretKey: DEMO_APP.secretKey },
        calls: state.calls,
        faults: state.faults,
        shapes: state.shapes,
        tokens: { expireAll: () => store.tokens.expireAllAccessTokens(), issued: () => issued.values() },
        transactions: transactionsView(store),
        traceparents: () => traceparents.values(),
        close: closer(server, sockets, state.delays),
    };
}
/** Stops listening, ends pending latency and destroys every socket, hanging requests included; once. */
function closer(server, sockets, delays) {
    let closed;
    return () => {
        closed ??= new Promise((resolve) => {
            delays.cancelAll();
            server.close(() => resolve());
            server.closeAllConnections();
            for (const socket of sockets)
                socket.destroy();
        });
        return closed;
    };
}
/** Every open socket, so close() can end hanging requests too. */
function openSockets(server) {
    const sockets = new Set();
    server.on('connection', (socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
    });
    return sockets;
}
function listen(server, port, host) {
    return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
}
