const DEPENDENCIES_PATH = '/health/dependencies';
export function healthEndpoints({ instance, dependencies, metrics, }) {
    const json = (status, body) => ({ status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) });
    return {
        answer(path) {
            switch (path) {
                case '/healthz':
                    return Promise.resolve(json(200, { status: 'ok' }));
                case '/readyz':
                    return Promise.resolve(instance.draining ? json(503, { status: 'draining' }) : json(200, { status: 'ready' }));
                // Always 200: the body tells; a probe wired to it by mistake must not take every instance out at once.
                case DEPENDENCIES_PATH:
                    return dependencies().then((report) => json(200, report));
                case '/metrics':
                    return metrics.registry.metrics().then((body) => ({ status: 200, contentType: metrics.registry.contentType, body }));
                default:
                    return null;
            }
        },
    };
}
