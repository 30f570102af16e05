/**
 * Issue 20: the deployment recipe cannot drift from what CI runs. The Dockerfile's build
 * is the one script CI runs outside a container (scripts/build-production.ts, which starts
 * the built dist/ with production dependencies only and queries it); these checks pin the
 * rest of the recipe to the terms.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { productionRuntime } from '../../scripts/production-runtime.js';

const text = (path: string) => readFileSync(path, 'utf8');
const pkg = JSON.parse(text('package.json'));

describe('an operator in production: the deployment recipe', () => {
  it('the Dockerfile and CI run the same build script', () => {
    expect(pkg.scripts['build:production']).toBe('tsx scripts/build-production.ts');
    expect(text('Dockerfile')).toMatch(/^RUN npm run build:production -- \/app$/m);
    expect(text('.ci/run')).toMatch(/^npm run build:production -- /m);
  });

  it('the image runs built code as a non-root user in production mode, probed on /readyz', () => {
    const dockerfile = text('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:24-\S+ AS build$/m);
    expect(dockerfile).toMatch(/^ENV NODE_ENV=production HOST=0\.0\.0\.0/m);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/readyz/m);
    expect(dockerfile).toMatch(/^CMD \["node", (".+", )*"dist\/main\.js"\]$/m);
  });

  it('`npm run start:production` starts node as the image does: its memory settings and flags', () => {
    const { env, nodeFlags } = productionRuntime();
    expect(nodeFlags).toContain('--max-semi-space-size=16');
    expect(env.MALLOC_TRIM_THRESHOLD_).toBe('131072');
    expect(pkg.scripts['start:production']).toBe(`MALLOC_TRIM_THRESHOLD_=${env.MALLOC_TRIM_THRESHOLD_} node ${nodeFlags.join(' ')} dist/main.js`);
  });

  it('compose runs Redis with its append-only file on', () => {
    expect(text('compose.yaml')).toMatch(/redis-server", "--appendonly", "yes"/);
  });

  it('no TypeScript tooling is a production dependency; Node 24 or 22.15+; MIT', () => {
    expect(Object.keys(pkg.dependencies).filter((name) => /^(tsx|typescript|vitest|node)$/.test(name))).toEqual([]);
    expect(pkg.engines.node).toBe('^22.15.0 || >=24.0.0');
    expect(pkg.overrides).toBeUndefined();
    expect(pkg.license).toBe('MIT');
    expect(text('LICENSE')).toMatch(/^MIT License/);
  });
});
