/**
 * GraphQL over WebSocket (the graphql-ws protocol) on the same path as HTTP, /graphql,
 * the way yoga documents it: graphql-ws runs each operation through yoga's
 * `getEnveloped`, so the same schema, limits (Armor), masking and context apply.
 *
 * The API key comes in `connectionParams` (`{ authorization: 'Bearer …' }` or
 * `{ apiKey }`; browsers cannot set headers on a WebSocket), or else the upgrade
 * request's own headers, and is checked in `onConnect` by the front door's authenticator:
 * without a valid one the socket is closed (4403) before any operation runs. Each
 * operation gets its own abort signal, so a subscription closed by the client or by the
 * socket's end gives back its subscription place at once. Who may open a socket, and
 * how long it may sit idle, is ./websocket-admission.ts's.
 */
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { documentTooLarge, isDocumentTooLarge } from '../plugins/use-document-size-limit.js';
import { GRAPHQL_PATH } from './front-door.js';
export function createWebSocketDoor(deps) {
    const { logger, policy } = deps;
    const server = new WebSocketServer({ noServer: true, maxPayload: policy.limits.maxBodyBytes });
    const connections = new WeakMap();
    /** The same connections by their socket, for the idle check. */
    const bySocket = new WeakMap();
    const connectionOf = (ctx) => connections.get(ctx);
    const stop = (ctx, id) => {
        connectionOf(ctx)?.operations.get(id)?.abort();
        connectionOf(ctx)?.operations.delete(id);
    };
    useServer({
        execute: (args) => args.rootValue.execute(args),
        subscribe: (args) => args.rootValue.subscribe(args),
        onConnect: (ctx) => {
            const requestId = randomUUID();
            const caller = policy.authenticate(headersOf(ctx.connectionParams, ctx.extra.request.headers));
            if (typeof caller === 'string') {
                logger.info({ requestId, reason: 'unauthenticated', transport: 'websocket' }, 'request refused');
                return false; // graphql-ws closes with 4403 Forbidden
            }
            const connection = { requestId, caller, clientAddress: deps.clientAddress(ctx.extra.request), operations: new Map() };
            connections.set(ctx, connection);
            bySocket.set(ctx.extra.socket, connection);
            return true;
        },
        onSubscribe: async (ctx, id, payload) => {
            const prepared = await prepareOperation(deps, connectionOf(ctx), id, payload).catch((error) => {
                stop(ctx, id);
                throw error;
            });
            // Refused before it ran (parse, validation, trusted documents): it holds nothing.
            if (Array.isArray(prepared))
                stop(ctx, id);
            return prepared;
        },
        // What this transport sends a client, as yoga's result pipeline does for HTTP: with
        // introspection off, no error (a refusal, or one in a result) names the schema.
        onError: (_ctx, _id, payload, errors) => policy.schemaHints?.(errors, payload),
        onNext: (_ctx, _id, payload, _args, result) => result.errors?.length && policy.schemaHints
            ? { ...result, errors: policy.schemaHints(result.errors, payload) }
            : undefined,
        onComplete: (ctx, id) => stop(ctx, id),
        onClose: (ctx) => {
            for (const controller of connectionOf(ctx)?.operations.values() ?? [])
                controller.abort();
        },
    }, server);
    return {
        upgrade(req, socket, head) {
            if (pathOf(req.url) !== GRAPHQL_PATH) {
                socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
                return;
            }
            if (!deps.admission.originAllowed(req, socket))
                return;
            server.handleUpgrade(req, socket, head, (ws) => {
                if (!deps.admission.admit(ws, req, () => (bySocket.get(ws)?.operations.size ?? 0) > 0))
                    return;
                server.emit('connection', ws, req);
                // ws has already closed the socket with the right code (1009 for a message over
                // MAX_BODY_BYTES) when it emits 'error': one log line, not graphql-ws's console stack.
                ws.removeAllListeners('error');
                ws.on('error', (error) => {
                    logger.info({ requestId: bySocket.get(ws)?.requestId, reason: error.code ?? error.message, transport: 'websocket' }, 'websocket closed on a client error');
                    if (ws.readyState === ws.OPEN)
                        ws.close(1011);
                });
            });
        },
        closeAll(code, reason) {
            for (const client of server.clients)
                client.close(code, reason);
            return server.clients.size;
        },
        close() {
            for (const client of server.clients)
                client.terminate();
            server.close();
        },
    };
}
/**
 * The operation's execution arguments, through yoga's envelop (the same parse, validation
 * rules, context and plugins as HTTP), or the errors that refuse it.
 */
async function prepareOperation(deps, connection, id, payload) {
    try {
        const { maxDocumentBytes } = deps.policy.limits;
        if (isDocumentTooLarge(payload.query, maxDocumentBytes))
            return [documentTooLarge(maxDocumentBytes)];
        const { params } = await deps.policy.resolveWebSocketDocument(payload);
        const controller = new AbortController();
        connection.operations.set(id, controller);
        const { schema, execute, subscribe, contextFactory, parse, validate } = deps.yoga.getEnveloped({
            requestId: connection.requestId,
            caller: connection.caller,
            clientAddress: connection.clientAddress,
            // What the context reads of a request: the signal that ends this operation.
            request: { signal: controller.signal, headers: new Headers(), method: 'POST', url: GRAPHQL_PATH },
            params,
        });
        const document = parse(params.query ?? '');
        const errors = validate(schema, document);
        if (errors.length)
            return errors;
        return {
            schema,
            document,
            operationName: params.operationName,
            variableValues: params.variables,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe },
        };
    }
    catch (error) {
        if (error instanceof GraphQLError)
            return [error];
        throw error;
    }
}
/** The key from connectionParams, as the headers the authenticator reads; else the upgrade's own headers. */
function headersOf(params, upgrade) {
    const authorization = stringParam(params, 'authorization') ?? stringParam(params, 'Authorization');
    const apiKey = stringParam(params, 'apiKey') ?? stringParam(params, 'x-api-key');
    if (authorization || apiKey)
        return { authorization, 'x-api-key': apiKey };
    return { authorization: upgrade.authorization, 'x-api-key': upgrade['x-api-key'] };
}
function stringParam(params, name) {
    const value = params?.[name];
    return typeof value === 'string' ? value : undefined;
}
function pathOf(target = '/') {
    const query = target.indexOf('?');
    return query === -1 ? target : target.slice(0, query);
}
