export function startUpBanner({ url, sandboxUrl, graphiql, metricsUrl }) {
    const lines = [
        '',
        `  kspay-gateway          ${url}/graphql`,
        graphiql ? `  GraphiQL               ${url}/graphql   (open it in a browser: the payment walkthrough's tabs)` : null,
        sandboxUrl
            ? `  KS Pay                 built-in sandbox at ${sandboxUrl}: payments here are NOT real`
            : '  KS Pay                 the configured KSPAY_BASE_URL',
        metricsUrl ? `  Metrics                ${metricsUrl}/metrics` : null,
        '',
        '  Logs follow as JSON lines. Press Ctrl+C to stop.',
        '',
    ];
    return lines.filter((line) => line !== null).join('\n');
}
