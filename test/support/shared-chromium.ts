/**
 * vitest's global setup: one Chromium for the whole run, shared by the browser test files
 * (./chromium.ts connects to it). A launch cost about 5 s of CPU per file. It is launched on
 * the first file's request, so a run without a browser test never starts it: the setup only
 * serves a loopback address (with an unguessable path) that launches it once and answers its
 * WebSocket endpoint. It never outlives the run: closed at teardown, and killed by
 * playwright's own exit handler when vitest exits any other way (Ctrl-C, SIGTERM).
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type BrowserServer, chromium } from 'playwright-core';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** GET it for `{ wsEndpoint }` (Chromium launched on the first request) or `{ error }`. */
    chromiumLauncher: string;
  }
}

/** Debian's Chromium (a browser download fails on these machines, so playwright-core drives the system's). */
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** No sandbox (containers run as root), no GPU, and none of the background services a test never uses. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

function launch(): Promise<BrowserServer> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the browser tests need Debian's chromium ` +
        '(`apt-get install -y chromium`; `npm test` installs it when it can), or CHROMIUM_PATH pointing at a Chromium binary.',
    );
  }
  // vitest exits on SIGINT and SIGTERM itself; playwright's exit handler then kills Chromium.
  return chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: FLAGS, handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let browser: Promise<BrowserServer> | undefined;
  const path = `/${randomUUID()}`;
  const launcher = createServer((request, response) => {
    if (request.url !== path) return void response.writeHead(404).end();
    browser ??= Promise.resolve().then(launch);
    browser.then(
      (started) => response.end(JSON.stringify({ wsEndpoint: started.wsEndpoint() })),
      (error: Error) => response.end(JSON.stringify({ error: error.message })),
    );
  });
  await new Promise<void>((resolve) => launcher.listen(0, '127.0.0.1', resolve));
  project.provide('chromiumLauncher', `http://127.0.0.1:${(launcher.address() as AddressInfo).port}${path}`);
  return async () => {
    launcher.close();
    await (await browser?.catch(() => undefined))?.close();
  };
}
