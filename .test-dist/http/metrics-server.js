/**
 * /metrics on a port of its own (METRICS_PORT), so the public port need not serve it:
 * Prometheus scrapes this one inside the network, and the public port answers /metrics 404.
 * It answers GET /metrics and nothing else.
 */
import { createServer } from 'node:http';
import { listenOn } from './listening.js';
export async function listenMetrics(metrics, port, host) {
    const server = createServer((req, res) => {
        const path = (req.url ?? '').split('?')[0];
        if (path !== '/metrics')
            return void res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
        if (req.method !== 'GET' && req.method !== 'HEAD')
            return void res.writeHead(405, { allow: 'GET, HEAD' }).end();
        metrics.registry.metrics().then((body) => res
            .writeHead(200, { 'content-type': metrics.registry.contentType, 'content-length': Buffer.byteLength(body) })
            .end(req.method === 'HEAD' ? undefined : body), () => res.writeHead(500).end());
    });
    server.headersTimeout = 10_000;
    server.requestTimeout = 10_000;
    return { server, url: await listenOn(server, port, host) };
}
