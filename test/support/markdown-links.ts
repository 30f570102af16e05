/**
 * What a markdown file links to and which anchors it offers, as GitHub renders them: the
 * links of the docs' link check (test/docs/links.test.ts). Fenced code and code spans are
 * not links; a heading's anchor is GitHub's slug of its text, numbered when repeated.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export interface MarkdownLink {
  line: number;
  target: string;
}

/** The lines outside fenced code blocks (fences' own lines blanked), so line numbers stay true. */
function proseLines(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (!fence || marker.startsWith(fence))) {
      fence = fence ? undefined : marker;
      return '';
    }
    return fence ? '' : line;
  });
}

export function linksIn(text: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  proseLines(text).forEach((raw, index) => {
    // A code span is text, unless it is a link's whole text: [`src/x.ts`](src/x.ts).
    const line = raw.replace(/`[^`]+`/g, (span, at: number) => (raw[at - 1] === '[' && raw[at + span.length] === ']' ? span : ''));
    for (const match of line.matchAll(/\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ line: index + 1, target: match[1]! });
    }
  });
  return links;
}

/** GitHub's anchor for a heading's text: lower case, punctuation dropped, spaces to hyphens. */
export function slugOf(heading: string): string {
  const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

export function anchorsIn(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(text)) {
    for (const match of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!);
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = slugOf(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count ? `${slug}-${count}` : slug);
  }
  return anchors;
}

/** Every relative link of `file` that does not resolve: a missing file, or a missing #anchor in a markdown file. */
export function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const broken: string[] = [];
  for (const { line, target } of linksIn(text)) {
    if (/^[a-z][a-z\d+.-]*:/i.test(target)) continue; // https:, mailto:: not ours to check
    const [path = '', anchor] = target.split('#', 2);
    const resolved = path ? resolve(dirname(file), decodeURIComponent(path)) : file;
    if (!existsSync(resolved)) {
      broken.push(`${file}:${line}: ${target}: no such file`);
      continue;
    }
    if (anchor === undefined || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) continue;
    if (!anchorsIn(readFileSync(resolved, 'utf8')).has(decodeURIComponent(anchor))) {
      broken.push(`${file}:${line}: ${target}: no such anchor`);
    }
  }
  return broken;
}
