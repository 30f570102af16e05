/** What closing may take after the deadline before the process gives up on it and exits 1. */
const CLOSE_GRACE_MS = 3_000;
const GOING_AWAY = 1001;
const EXIT_CODE = { SIGTERM: 143, SIGINT: 130 };
/** Installs the handlers; call once the server listens. */
export function drainOnSignals(options) {
    const inFlight = trackResponses(options.server, options.app);
    let shuttingDown = false;
    const onSignal = (signal) => {
        if (shuttingDown) {
            options.app.logger.warn({ signal, exitCode: EXIT_CODE[signal] }, `shutdown: second ${signal}, exiting at once`);
            process.exit(EXIT_CODE[signal]);
        }
        shuttingDown = true;
        void shutDown(options, inFlight, signal).then(() => process.exit(0), (error) => {
            options.app.logger.error({ err: error }, 'shutdown: failed');
            process.exit(1);
        });
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
}
async function shutDown({ server, app, drainMs, afterClose }, inFlight, signal) {
    const { logger } = app;
    const deadline = AbortSignal.timeout(drainMs);
    const hardStop = setTimeout(() => {
        logger.error({ afterMs: drainMs + CLOSE_GRACE_MS }, 'shutdown: closing did not finish, exiting');
        process.exit(1);
    }, drainMs + CLOSE_GRACE_MS);
    hardStop.unref();
    // 1. Out of rotation, no new connections.
    app.instance.beginDrain();
    for (const res of inFlight)
        if (!res.headersSent)
            res.setHeader('connection', 'close');
    const connectionsClosed = new Promise((resolve) => server.close(() => resolve()));
    const webhooks = app.webhooks.drain(deadline);
    logger.info({ signal, requestsInFlight: inFlight.size, drainMs }, 'shutdown: draining (/readyz 503, no new connections)');
    // 2. Long-lived streams end, so their clients go elsewhere now rather than at the deadline.
    const sse = app.updates.endStreams();
    const websockets = app.websocket.closeAll(GOING_AWAY, 'server shutting down');
    logger.info({ subscriptionsEnded: sse, websocketsClosed: websockets }, 'shutdown: streams ended (websockets closed 1001)');
    // 3. Whatever is in flight finishes, or meets the deadline.
    const cutAtDeadline = () => {
        const cut = inFlight.size;
        app.websocket.close();
        server.closeAllConnections();
        return cut;
    };
    const beforeDeadline = await Promise.race([
        connectionsClosed.then(() => true),
        new Promise((resolve) => deadline.addEventListener('abort', () => resolve(false), { once: true })),
    ]);
    const requestsCut = beforeDeadline ? 0 : cutAtDeadline();
    const { underWay, handedBack } = await webhooks;
    const line = { requestsCut, webhookAttemptsUnderWay: underWay, webhookAttemptsHandedBack: handedBack };
    if (beforeDeadline && handedBack === 0)
        logger.info(line, 'shutdown: drained');
    else
        logger.warn(line, 'shutdown: drain deadline reached, the rest cut');
    // 4. Stores (Redis QUIT), client, sandbox, tracing.
    await app.close();
    await afterClose?.();
    clearTimeout(hardStop);
    logger.info({ exitCode: 0 }, 'shutdown: closed');
}
/**
 * The responses under way, so that draining can ask each to close its connection, and
 * every response written while draining says `Connection: close`. A connection left idle
 * by a response that started before draining is closed as soon as that response ends.
 */
function trackResponses(server, app) {
    const inFlight = new Set();
    // Before the front door's own listener, so the header is set before anything is written.
    server.prependListener('request', (_req, res) => {
        inFlight.add(res);
        if (app.instance.draining)
            res.setHeader('connection', 'close');
        res.once('close', () => {
            inFlight.delete(res);
            if (app.instance.draining)
                setImmediate(() => server.closeIdleConnections());
        });
    });
    return inFlight;
}
