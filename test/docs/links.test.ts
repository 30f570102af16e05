/**
 * The docs a newcomer reads hold together: every relative link and #anchor in README.md and
 * docs/*.md resolves (as GitHub renders them), the README stays a front page (at most 300
 * lines), and each guide opens with a table of contents that names every one of its sections.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { anchorsIn, brokenLinks, linksIn, slugOf } from '../support/markdown-links.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const guides = readdirSync(`${root}docs`)
  .filter((name) => name.endsWith('.md'))
  .map((name) => `docs/${name}`);
const checked = ['README.md', 'examples/web/README.md', ...guides];
/** Written elsewhere: the generated configuration reference and the upstream contract. */
const WITHOUT_TOC = new Set(['docs/configuration.md', 'docs/kspay-api.md']);

describe('the link check itself', () => {
  it('finds links outside code, and anchors as GitHub makes them', () => {
    const text = [
      '# Title',
      '## Redis Cluster and Sentinel',
      '## KS Pay codes → gateway errors',
      '## Title',
      'See [a](b.md#c) and [`x.ts`](src/x.ts), not `[y](z.md)`.',
      '```',
      '[d](e.md)',
      '```',
    ].join('\n');
    expect(linksIn(text).map((link) => link.target)).toEqual(['b.md#c', 'src/x.ts']);
    expect([...anchorsIn(text)]).toEqual(['title', 'redis-cluster-and-sentinel', 'ks-pay-codes--gateway-errors', 'title-1']);
    expect(slugOf("The sandbox's knobs")).toBe('the-sandboxs-knobs');
  });
});

describe.each(checked)('%s', (file) => {
  it('has no broken relative link or anchor', () => {
    expect(brokenLinks(`${root}${file}`).map((problem) => problem.replace(root, ''))).toEqual([]);
  });
});

describe('the front page and the guides', () => {
  it('README.md is a front page of at most 300 lines that maps every guide', () => {
    const readme = readFileSync(`${root}README.md`, 'utf8');
    expect(readme.split('\n').length).toBeLessThanOrEqual(300);
    const linked = new Set(linksIn(readme).map((link) => link.target.split('#')[0]));
    expect(guides.filter((guide) => !linked.has(guide))).toEqual([]);
  });

  it.each(guides.filter((guide) => !WITHOUT_TOC.has(guide)))('%s opens with a table of contents of its sections', (guide) => {
    const text = readFileSync(`${root}${guide}`, 'utf8');
    const sections = [...text.matchAll(/^## (.+)$/gm)].map((match) => `#${slugOf(match[1]!)}`);
    const firstSection = text.indexOf('\n## ');
    const toc = linksIn(text.slice(0, firstSection))
      .map((link) => link.target)
      .filter((target) => target.startsWith('#'));
    expect(sections.length).toBeGreaterThan(0);
    expect(toc).toEqual(sections);
  });
});
