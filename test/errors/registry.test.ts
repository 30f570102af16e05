/**
 * One registry of error codes (src/errors/registry.ts): every code written in src/ is one of
 * its codes, and no code leaves with an HTTP status its entry does not list.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_REGISTRY, statusOf } from '../../src/errors/registry.js';
import { clientError } from '../../src/errors/client-errors.js';

const SRC = new URL('../../src/', import.meta.url).pathname;
// The sandbox speaks KS Pay's codes and the client reads them; neither is a gateway client's code.
const OUTSIDE = /^(sandbox|kspay)\/|^errors\/registry\.ts$/;

function sources(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name), `${prefix}${entry.name}/`) : entry.name.endsWith('.ts') ? [`${prefix}${entry.name}`] : [],
  );
}

describe('error registry', () => {
  it('lists every code src/ writes', () => {
    const written = sources(SRC)
      .filter((file) => !OUTSIDE.test(file))
      .flatMap((file) =>
        [...readFileSync(join(SRC, file), 'utf8').matchAll(/(?:\bcode: |clientError\(|errorBody\(|statusOf\()'([A-Z_]+)'/g)].map((match) => match[1]!),
      );
    expect(written.length).toBeGreaterThan(10);
    expect(written.filter((code) => !(code in ERROR_REGISTRY))).toEqual([]);
  });

  it('refuses a status the code does not list, and puts only a non-200 status into extensions.http', () => {
    expect(() => statusOf('FORBIDDEN', 401)).toThrow(/FORBIDDEN is not sent with HTTP 401/);
    expect(statusOf('BAD_REQUEST', 415)).toBe(415);
    expect(clientError('FORBIDDEN', 'no').extensions).toEqual({ code: 'FORBIDDEN' });
    expect(clientError('DOCUMENT_TOO_LARGE', 'big').extensions).toEqual({ code: 'DOCUMENT_TOO_LARGE', http: { status: 413 } });
    expect(Object.keys(ERROR_REGISTRY)).toContain('PERSISTED_QUERY_ONLY');
  });
});
