export const ADMIN_PREFIX = '/__sandbox/';
/** One admin request; `body` is the parsed JSON body, or undefined when there was none. */
export function handleAdmin(method, path, body, targets) {
    const { calls, faults, shapes } = targets;
    const route = `${method} ${path.slice(ADMIN_PREFIX.length - 1)}`;
    switch (route) {
        case 'GET /calls':
            return ok({ total: calls.count(), byEndpoint: calls.snapshot() });
        case 'POST /calls/reset':
            calls.reset();
            return ok({ total: 0, byEndpoint: calls.snapshot() });
        case 'GET /faults':
            return ok(faults.current());
        case 'POST /faults':
            if (!isObject(body))
                return badRequest('Send a JSON object of fault settings');
            faults.set(body);
            return ok(faults.current());
        case 'POST /faults/reset':
            faults.reset();
            return ok(faults.current());
        case 'GET /shapes':
            return ok(shapes.current());
        case 'POST /shapes':
            if (!isObject(body))
                return badRequest('Send a JSON object of shape settings');
            shapes.set(body);
            return ok(shapes.current());
        case 'POST /shapes/reset':
            shapes.reset();
            return ok(shapes.current());
        case 'POST /tokens/expire':
            targets.expireAccessTokens();
            return ok({ expired: true });
        default:
            return { status: 404, body: { error: `No admin route ${route}` } };
    }
}
function ok(body) {
    return { status: 200, body };
}
function badRequest(error) {
    return { status: 400, body: { error } };
}
function isObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
