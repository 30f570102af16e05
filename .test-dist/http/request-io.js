/** The path of a request target, origin-form or absolute-form, without its query. */
export function pathOf(target = '/') {
    if (target.startsWith('/')) {
        const query = target.indexOf('?');
        return query === -1 ? target : target.slice(0, query);
    }
    try {
        return new URL(target).pathname;
    }
    catch {
        return '';
    }
}
/**
 * Reads the whole body, whose length the front door has already checked against the
 * limit, and hands it to `done` in the tick it ends (a callback, not a promise: the warm
 * path answers in that same tick). A request that ends early or errors is dropped.
 */
export function readBody(req, expectedBytes, done) {
    const chunks = [];
    let received = 0;
    req.on('data', (chunk) => {
        received += chunk.length;
        if (received > expectedBytes)
            return req.destroy();
        chunks.push(chunk);
    });
    req.once('end', () => {
        if (received === expectedBytes)
            done(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
    });
    req.once('error', () => req.destroy());
}
/** The body as JSON, or undefined when it is not (yoga then answers the parse error itself). */
export function parseJson(body) {
    try {
        return JSON.parse(body.toString('utf8'));
    }
    catch {
        return undefined;
    }
}
/** A request that failed inside the gateway: logged with its id, answered 500 (or cut, if already answering); the id is already on `res`. */
export function failed(res, logger, requestId, error, what = 'request failed') {
    logger.error({ requestId, err: error }, what);
    if (!res.headersSent)
        res.writeHead(500, { 'content-length': 0 }).end();
    else
        res.destroy();
}
