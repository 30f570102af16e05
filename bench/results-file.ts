/** bench/RESULTS.md: the run's table, how to read it, the targets, the memory soak and the interpretation. */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { interpretation } from './interpretation.js';
import type { SoakResult } from './memory-soak.js';
import { resultsTable, soakSummary, targets, targetsTable, type Row, type RunInfo } from './report.js';

const SOAK_METHOD = `Memory is measured in the gateway process, started with the Dockerfile's memory settings (its \`MALLOC_TRIM_THRESHOLD_\`
and node flags, read by scripts/production-runtime.ts) and \`--expose-gc\`: with no request in flight, the
benchmark asks it over its IPC channel (bench/serve.ts, never over HTTP) for a full GC, then V8's last-resort collection (which
unmaps the heap pages V8 pools for reuse, as its memory reducer does once load stops), and then \`process.memoryUsage()\`. What
is left is what the gateway retains, as the memory tests read it; RSS and heap samples under load would mostly show the GC sawtooth. The soak's first half
sends only reads, so anything they left behind would show on its own; the second half adds payments, each a new reference
whose idempotency record the gateway must keep (24 h, bounded by IDEMPOTENCY_MAX_RECORDS). The sandbox, a process of its
own, keeps every transaction it is sent: that growth is not the gateway's.`;

export function writeResults(path: string, info: RunInfo, rows: Row[], soak: SoakResult | null): void {
  const text = `# Benchmark results

Written by \`npm run bench\` (bench/run.ts). Latest run:

- date: ${info.date.toISOString()}
- machine: ${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}
- ${info.durationS} s per case after a ${info.warmupS} s warm-up, ${info.connections} concurrent connections${info.quick ? ' (quick mode)' : ''};
  the cases of one shape and latency run interleaved, warm-up and ${info.slices} slices each in rotating order (the floor right after the
  gateway), so that the machine's drift falls on all of them alike
- every server in a process of its own on 127.0.0.1 (bench/serve.ts): each gateway variant, the naive gateway, two KS Pay
  sandboxes (the naive gateway's and everyone else's) and the floor; this process only generates the load (autocannon, and
  the bare-upstream client). The gateways run as in production: \`KSPAY_BASE_URL\`, client API keys (the load sends one),
  GraphiQL and introspection off

## Results

${resultsTable(rows)}

How to read it:
- **latency** is added by the sandbox before every KS Pay answer.
- **gateway** is the real gateway as deployed (front door, response cache, graphql-jit, DataLoaders, shared catalog cache,
  idempotency, limits, metrics, logging at \`silent\`); **no response cache**, **graphql-js**, **global fetch** (KS Pay called
  through fetch, not node:http) and **yoga handler** (every POST through yoga's own HTTP handler, not the front door's execute
  stage) are it with that feature off (\`BENCH_WITHOUT\` in bench/serve.ts), to show what each is worth.
  **naive gateway** serves the same SDL with resolvers that call the KS Pay client for every field (bench/naive-gateway.ts).
  **bare upstream** is a hand-written REST client making the calls each shape needs, deduplicated and in parallel within one
  operation, with no cache across operations (bench/bare-upstream.ts); autocannon cannot fan out, so it runs under a loop
  of the same concurrency.
  **floor** is a bare node:http server (bench/floor.ts) that reads each request and answers the exact bytes, status and
  headers the gateway gave for the shape once: no gateway can be faster on this machine.
- **upstream calls/op**: calls the sandbox process counted (its \`/__sandbox/calls\`) during the case ÷ operations sent. autocannon abandons the requests in
  flight when time is up, but the server still runs them, so each slice ends only when the target has finished them all
  (and the next slice does not share the CPU with them).
- **RSS** is of the process that answers (the gateway's, the floor's …; none for the bare upstream, whose client runs in the
  load generator) after the case's last slice (Δ: change during its own slices); **heap** is its V8 heap used then.
- **errors**: connection errors, non-200 answers, and answers that are not the expected data (GraphQL errors, a failed initiate).
- **vs naive / vs bare / vs floor**: this row's req/s over the baseline's, at the same latency and shape (cold catalog:
  against the catalog baselines); ∞ when the baseline completed no operation in its time.
- The naive gateway has no cache, so its catalog row is both the warm and the cold baseline.

## Targets

${targetsTable(targets(rows, soak, info.quick))}

${soak ? `### Memory soak\n\n${soakSummary(soak)}\n\n${SOAK_METHOD}\n` : ''}
## Interpretation

${interpretation(rows, soak, info.quick)}
`;
  writeFileSync(path, text);
}
