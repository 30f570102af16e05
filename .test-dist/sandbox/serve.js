import { handleAdmin } from './admin.js';
import { checkoutAction, checkoutPage } from './checkout.js';
import { readBody, sendCheckout, sendJson, sendOversizedJson } from './http-io.js';
import { INTERNAL_ERROR, destinationOf, dispatch, errorReply, routeNotFound } from './router.js';
export function requestListener(state) {
    return (req, res) => {
        serve(req, res, state).catch(() => {
            if (res.headersSent)
                res.destroy();
            else
                send(res, INTERNAL_ERROR);
        });
    };
}
async function serve(req, res, state) {
    const destination = destinationOf(req.method, req.url);
    switch (destination.kind) {
        case 'admin':
            return serveAdmin(req, res, destination.path, state);
        case 'checkout':
            return serveCheckout(req, res, destination.txnId, state.store);
        case 'api':
            return serveApi(req, res, destination, state);
    }
}
async function serveApi(req, res, { url, match }, state) {
    if (match)
        state.calls.record(match.endpoint);
    const decision = state.faults.decide(match?.endpoint ?? null);
    if (decision.kind === 'down')
        return void req.socket.destroy();
    if (decision.kind === 'hang')
        return; // left open until the client gives up or close()
    if (decision.latencyMs > 0 && !(await state.delays.wait(decision.latencyMs)))
        return;
    const rawBody = await readBody(req, res);
    if (rawBody === null)
        return;
    // Like many servers, the sandbox does no work for a client that has already gone: a request
    // given up on (a timeout) is never processed later, behind the client's back.
    if (req.socket.destroyed)
        return;
    const shapes = state.shapes.current();
    if (decision.kind === 'error')
        return send(res, errorReply(decision, shapes));
    if (decision.kind === 'oversized')
        return sendOversizedJson(res, decision);
    if (!match)
        return send(res, routeNotFound(shapes));
    const context = { store: state.store, shapes, publicUrl: state.publicUrl, misrecord: decision.misrecord };
    const reply = dispatch(match, { url, headers: req.headers, rawBody }, context);
    if (decision.dropAfterCommit)
        return void req.socket.destroy();
    send(res, reply);
}
async function serveAdmin(req, res, path, state) {
    const rawBody = await readBody(req, res);
    if (rawBody === null)
        return;
    let body;
    try {
        body = rawBody.trim() === '' ? undefined : JSON.parse(rawBody);
    }
    catch {
        return sendJson(res, 400, { error: 'The body is not JSON' });
    }
    const { calls, faults, shapes, store } = state;
    const expireAccessTokens = () => store.tokens.expireAllAccessTokens();
    send(res, handleAdmin(req.method ?? 'GET', path, body, { calls, faults, shapes, expireAccessTokens }));
}
async function serveCheckout(req, res, txnId, store) {
    if (req.method === 'GET')
        return sendCheckout(res, checkoutPage(store, txnId));
    if (req.method !== 'POST')
        return void res.writeHead(405, { allow: 'GET, POST' }).end();
    const rawBody = await readBody(req, res);
    if (rawBody === null)
        return;
    sendCheckout(res, checkoutAction(store, txnId, new URLSearchParams(rawBody)));
}
function send(res, reply) {
    sendJson(res, reply.status, reply.body, reply.headers);
}
