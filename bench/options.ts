/**
 * The benchmark's command line: `npm run bench -- [options]`. A bad option is one line
 * (UsageError), never a parseArgs stack trace.
 */
import { parseArgs } from 'node:util';
import { SHAPES, type Shape } from './cases.js';

export const USAGE = `Usage: npm run bench -- [options]

The gateway against a naive GraphQL wrapper, the bare REST upstream and the floor (a bare
node:http server answering the same bytes), per operation shape, at 20 ms and 0 ms of added
upstream latency, then a memory soak (of the gateway started as the image starts it). Every
server runs in a process of its own. A complete run (no --quick, --soak-memory, --no-soak,
--no-write or --compare) writes bench/RESULTS.md.

Options:
  --quick              2 s per case and a 15 s soak: a smoke run, nothing written
  --duration <s>       seconds per case (default 10, or 2 with --quick)
  --connections <n>    concurrent connections (default 32)
  --minutes <n>        length of the memory soak in minutes (default 10, or 0.25 with --quick)
  --only <shape>       only the cases of one shape (warm catalog, cold catalog, transaction,
                       settled transaction, page of 50, initiate), no soak, nothing written
  --compare <git-ref>  also serve that commit's gateway (its own src/main.ts, from a temporary
                       git worktree) as "gateway @ <short sha>" in every case the gateway runs,
                       interleaved with it, with its ratio to "gateway"; may be repeated (e.g.
                       a change's merge and its first parent); not in the soak; nothing written
  --soak-memory        only the memory soak
  --no-soak            skip the memory soak
  --no-write           do not write bench/RESULTS.md
  -h, --help           print this help`;

export interface BenchOptions {
  help: boolean;
  quick: boolean;
  durationS: number;
  connections: number;
  soakMinutes: number;
  soakMemory: boolean;
  /** Only this shape's cases (and no soak). */
  only: Shape | null;
  /** Git refs whose gateways are measured beside this checkout's (bench/compared-gateway.ts). */
  compare: string[];
  noSoak: boolean;
  noWrite: boolean;
}

export class UsageError extends Error {}

const HINT = 'npm run bench -- --help lists the options';

export function parseBenchOptions(argv: string[]): BenchOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        help: { type: 'boolean', short: 'h', default: false },
        duration: { type: 'string' },
        connections: { type: 'string', default: '32' },
        minutes: { type: 'string' },
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        compare: { type: 'string', multiple: true, default: [] },
        'soak-memory': { type: 'boolean', default: false },
        'no-soak': { type: 'boolean', default: false },
        'no-write': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError(`bench: ${usageProblem(error as NodeJS.ErrnoException)} (${HINT})`);
  }
  return {
    help: values.help,
    quick: values.quick,
    durationS: positive('duration', values.duration ?? (values.quick ? '2' : '10')),
    connections: Math.round(positive('connections', values.connections)),
    soakMinutes: positive('minutes', values.minutes ?? (values.quick ? '0.25' : '10')),
    soakMemory: values['soak-memory'],
    only: values.only === undefined ? null : shape(values.only),
    compare: values.compare.map(gitRef),
    noSoak: values['no-soak'] || values.only !== undefined,
    // bench/RESULTS.md records this checkout alone.
    noWrite: values['no-write'] || values.compare.length > 0,
  };
}

/** parseArgs' messages, said for someone typing `npm run bench -- …`. */
function usageProblem(error: NodeJS.ErrnoException): string {
  const quoted = /'([^']+)'/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(quoted)}`;
    default:
      // e.g. "Option '--duration <value>' argument missing"
      return error.message.replace(/^Option/, 'option').replace(/\.$/, '');
  }
}

function shape(raw: string): Shape {
  if ((SHAPES as readonly string[]).includes(raw)) return raw as Shape;
  throw new UsageError(`bench: --only must be one of ${SHAPES.map((s) => JSON.stringify(s)).join(', ')}, got ${JSON.stringify(raw)} (${HINT})`);
}

function gitRef(raw: string): string {
  // Not an option mistyped as the ref (`--compare --only …`), and nothing git would read as one.
  if (raw.trim() === '' || raw.startsWith('-'))
    throw new UsageError(`bench: --compare needs a git ref (a commit, branch or tag), got ${JSON.stringify(raw)} (${HINT})`);
  return raw;
}

function positive(name: string, raw: string): number {
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) {
    throw new UsageError(`bench: --${name} must be a positive number, got ${JSON.stringify(raw)} (${HINT})`);
  }
  return value;
}
