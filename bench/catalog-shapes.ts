/**
 * The warm catalog as the clients merchants ship ask for it (issue 22, item 5): a plain
 * `{ query }` POST, a trusted document by `documentId`, Apollo Client 4's default body (with
 * `extensions.clientLibrary`) and an automatic-persisted-query GET by hash, each against the
 * floor answering the same bytes. Gateway and floor run as processes of their own
 * (bench/serve.ts), the gateway with PERSISTED_OPERATIONS=allow and client auth on; their
 * slices are interleaved (gateway, floor, then floor, gateway …), so the machine's drift
 * falls on both alike: the ratio is the figure, not the absolute rate.
 *
 *   npx tsx bench/catalog-shapes.ts                     5 s per shape and side
 *   npx tsx bench/catalog-shapes.ts --duration 2        a smoke run
 *   npx tsx bench/catalog-shapes.ts --connections 16    concurrency (default 32)
 */
import autocannon from 'autocannon';
import { request as httpRequest } from 'node:http';
import manifest from '../examples/gql/persisted-documents.json' with { type: 'json' };
import { REQUEST_HEADERS } from './cases.js';
import { startChild, startSandboxChild, type Child } from './children.js';
import type { RecordedResponse } from './floor.js';
import { markdownTable, rate, times } from './format.js';
import { gatewayEnv } from './stack.js';

const [CATALOG_ID, CATALOG_TEXT] = Object.entries(manifest).find(([, text]) => text.startsWith('query Catalog'))!;
const APQ = { persistedQuery: { version: 1, sha256Hash: CATALOG_ID.replace(/^sha256:/, '') } };

interface CatalogShape {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

const SHAPES: CatalogShape[] = [
  { name: 'plain POST', method: 'POST', path: '/graphql', body: JSON.stringify({ query: CATALOG_TEXT }) },
  { name: 'documentId POST', method: 'POST', path: '/graphql', body: JSON.stringify({ documentId: CATALOG_ID }) },
  {
    name: 'Apollo Client 4 body',
    method: 'POST',
    path: '/graphql',
    body: JSON.stringify({
      operationName: 'Catalog',
      variables: {},
      extensions: { clientLibrary: { name: '@apollo/client', version: '4.0.0' } },
      query: CATALOG_TEXT,
    }),
  },
  { name: 'APQ GET', method: 'GET', path: `/graphql?${new URLSearchParams({ extensions: JSON.stringify(APQ) })}` },
];

/** Warm-catalog shapes must keep at least this share of the floor's rate (issue 22). */
const TARGET_VS_FLOOR = 0.6;
const HOP_BY_HOP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} takes a positive number`);
  return value;
}

const durationS = option('--duration', 5);
const connections = option('--connections', 32);
const SLICES = 2;

/** The gateway's answer to `shape`, as it came off the wire, for the floor to repeat byte for byte. */
function record(url: string, shape: CatalogShape): Promise<RecordedResponse> {
  return new Promise((resolve, reject) => {
    const headers = shape.body === undefined ? REQUEST_HEADERS : { ...REQUEST_HEADERS, 'content-length': Buffer.byteLength(shape.body) };
    const outgoing = httpRequest(`${url}${shape.path}`, { method: shape.method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const pairs: [string, string][] = [];
        const raw = incoming.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) if (!HOP_BY_HOP.has(raw[i]!.toLowerCase())) pairs.push([raw[i]!, raw[i + 1]!]);
        resolve({ status: incoming.statusCode ?? 0, headers: pairs, bodyBase64: Buffer.concat(chunks).toString('base64') });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(shape.body);
  });
}

/** req/s of one stretch of load; every answer must be the catalog. */
async function load(url: string, shape: CatalogShape, seconds: number): Promise<{ rps: number; errors: number }> {
  let wrong = 0;
  const result = await autocannon({
    url: `${url}${shape.path}`,
    connections,
    duration: seconds,
    method: shape.method,
    headers: REQUEST_HEADERS,
    body: shape.body,
    requests: [
      {
        method: shape.method,
        path: shape.path,
        body: shape.body,
        onResponse: (status: number, body: string) => {
          if (status !== 200 || !body.includes('"paymentMethods":[{') || body.includes('"errors"')) wrong += 1;
        },
      },
    ],
  });
  return { rps: result.requests.total / result.duration, errors: wrong + result.errors + result.non2xx };
}

async function main(): Promise<void> {
  const children: Child[] = [];
  try {
    const sandbox = await startSandboxChild();
    children.push(sandbox);
    const [gateway, floor] = await Promise.all([startChild('gateway', gatewayEnv(sandbox, { PERSISTED_OPERATIONS: 'allow' })), startChild('floor')]);
    children.push(gateway, floor);
    console.log(`catalog shapes: ${SHAPES.length} shapes × (gateway + floor) × ${durationS} s, ${connections} connections\n`);
    const rows: string[][] = [];
    let worst = Infinity;
    for (const shape of SHAPES) {
      const recorded = await record(gateway.url, shape); // the miss: stored from now on
      if (recorded.status !== 200) throw new Error(`${shape.name}: the gateway answered HTTP ${recorded.status}`);
      await floor.control({ type: 'respond', response: await record(gateway.url, shape) }); // a hit, as the load will see it
      for (const target of [gateway, floor]) await load(target.url, shape, Math.min(1, durationS / 4)); // warm-up
      const totals = { gateway: 0, floor: 0, errors: 0 };
      for (let slice = 0; slice < SLICES; slice++) {
        const order = slice % 2 === 0 ? (['gateway', 'floor'] as const) : (['floor', 'gateway'] as const);
        for (const side of order) {
          const measured = await load(side === 'gateway' ? gateway.url : floor.url, shape, durationS / SLICES);
          totals[side] += measured.rps / SLICES;
          totals.errors += measured.errors;
        }
      }
      const ratio = totals.gateway / totals.floor;
      worst = Math.min(worst, ratio);
      rows.push([shape.name, rate(totals.gateway), rate(totals.floor), times(ratio), String(totals.errors)]);
      console.log(`${shape.name.padEnd(22)} ${rate(totals.gateway).padStart(7)} req/s  floor ${rate(totals.floor).padStart(7)} req/s  ${times(ratio)}`);
    }
    console.log(`\n${markdownTable(['shape', 'gateway req/s', 'floor req/s', 'vs floor', 'errors'], rows, [false, true, true, true, true])}\n`);
    console.log(`target: every warm catalog shape ≥ ${TARGET_VS_FLOOR}× the floor: ${worst >= TARGET_VS_FLOOR ? 'met' : 'NOT met'} (worst ${times(worst)})`);
  } finally {
    await Promise.all(children.map((child) => child.close()));
  }
}

await main();
process.exit(0);
