/**
 * The sandbox is a room of its own: it imports only the wire module and the money
 * helpers from the rest of src/, only the entry point may import it, and its KS Pay
 * codes are named once in the wire module.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KSPAY_CODES } from '../../src/kspay/types.js';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const SANDBOX = join(SRC, 'sandbox');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every module specifier a file imports or re-exports, statically or dynamically. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const pattern = /(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  return [...text.matchAll(pattern)].map((match) => match[1]!);
}

const fromSrc = (file: string) => relative(SRC, file).split('\\').join('/');

describe('sandbox boundaries', () => {
  it('the sandbox imports only node built-ins, itself, the wire types and the money helpers', () => {
    const allowed = new Set(['../kspay/types.js', '../kspay/money.js']);
    // Its own entry point (npm run sandbox) shares the gateway's one-line listen errors.
    const entryPointAllowed = new Set([...allowed, '../http/listen-error.js']);
    const strays = sourceFiles(SANDBOX).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => !specifier.startsWith('node:') && !specifier.startsWith('./'))
        .filter((specifier) => !(fromSrc(file) === 'sandbox/main.ts' ? entryPointAllowed : allowed).has(specifier))
        .map((specifier) => `${fromSrc(file)} → ${specifier}`),
    );
    expect(strays).toEqual([]);
  });

  it('the wire types and money helpers import nothing, so nothing of the gateway comes along', () => {
    for (const file of ['kspay/types.ts', 'kspay/money.ts']) {
      expect(importsOf(join(SRC, file)).filter((specifier) => !specifier.startsWith('node:'))).toEqual([]);
    }
  });

  it('nothing in src/ but the entry point imports the sandbox, and that only on demand', () => {
    const importers = sourceFiles(SRC)
      .filter((file) => !file.startsWith(SANDBOX + sep))
      .filter((file) => importsOf(file).some((specifier) => /(^|\/)sandbox\//.test(specifier)))
      .map(fromSrc);
    expect(importers).toEqual(['main.ts']);
    const main = readFileSync(join(SRC, 'main.ts'), 'utf8');
    expect(main).not.toMatch(/^\s*import\s[^(]*['"][^'"]*sandbox\//m);
  });
});

describe('KS Pay codes', () => {
  it('names every code of the contract, and the list endpoint’s', () => {
    const contract = [
      9000, 9002, 9005, 9007, 9008, 9009, 11002, 11004, 11005, 11006, 11007, 11008, 11009, 11010, 11011, 1052, 12001, 13006, 13007, -3, -9, -17, -19, 24, 25,
      26, 27, 4089, 4056,
    ];
    expect(new Set(Object.values(KSPAY_CODES))).toEqual(new Set(contract));
  });

  it('the sandbox writes none as a bare number', () => {
    const bare = /new ApiError\(\s*\d+\s*,\s*-?\d|\bcode:\s*-?\d/;
    const offenders = sourceFiles(SANDBOX).flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => bare.test(line))
        .map((line) => `${fromSrc(file)}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
