/**
 * What `npm start` tells a person at a terminal, beside the JSON log lines a log collector
 * reads: where GraphiQL is, whether payments are real, and how to stop. Printed only when
 * stdout is a TTY (src/main.ts), so piped output stays JSON lines alone.
 */
export interface BannerFacts {
  /** The gateway's base URL, e.g. http://127.0.0.1:4000. */
  url: string;
  /** The built-in sandbox's URL, or null against a configured KS Pay. */
  sandboxUrl: string | null;
  graphiql: boolean;
  metricsUrl: string | null;
}

export function startUpBanner({ url, sandboxUrl, graphiql, metricsUrl }: BannerFacts): string {
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
