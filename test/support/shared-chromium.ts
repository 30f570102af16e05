/**
 * vitest's global setup: one Chromium for the whole run, shared by the browser test files
 * (./chromium.ts connects to it). A launch cost about 5 s of CPU per file. It is launched on
 * the first file's request, so a run without a browser test never starts it: the setup only
 * serves a loopback address (with an unguessable path) that launches it once and answers its
 * WebSocket endpoint. It never outlives the run: closed at teardown, and killed by
 * playwright's own exit handler when vitest exits any other way (Ctrl-C, SIGTERM).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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

/**
 * Chromium builds each new window's omnibox popups (the address bar's, and its AI mode's) as
 * WebUI pages in renderers of their own: about 1.4 s of CPU per browser context, for popups a
 * headless test never shows. Chromium honours only the last --disable-features, so this one
 * repeats playwright-core's own (its chromiumSwitches), which the launch checks.
 */
const DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
  'WebUIOmniboxFullPopup',
];

/** No sandbox (containers run as root), no GPU, and none of the background services a test never uses. */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  `--disable-features=${DISABLED_FEATURES.join(',')}`,
];

async function launch(): Promise<BrowserServer> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: the browser tests need Debian's chromium ` +
        '(`apt-get install -y chromium`; `npm test` installs it when it can), or CHROMIUM_PATH pointing at a Chromium binary.',
    );
  }
  // vitest exits on SIGINT and SIGTERM itself; playwright's exit handler then kills Chromium.
  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  // The first --disable-features on Chromium's command line is playwright-core's: ours must keep all of it.
  const commandLine = readFileSync(`/proc/${server.process().pid}/cmdline`, 'utf8').split('\0');
  const playwrightDefaults =
    commandLine
      .find((arg) => arg.startsWith('--disable-features='))
      ?.slice('--disable-features='.length)
      .split(',') ?? [];
  const dropped = playwrightDefaults.filter((feature) => !DISABLED_FEATURES.includes(feature));
  if (dropped.length > 0) {
    await server.close();
    throw new Error(`playwright-core now disables ${dropped.join(', ')} too: add them to DISABLED_FEATURES in test/support/shared-chromium.ts`);
  }
  return server;
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let browser: Promise<BrowserServer> | undefined;
  const path = `/${randomUUID()}`;
  // A Chromium that crashed is launched again for the next file, not left failing every one after it.
  const relaunchedIfItExits = (started: Promise<BrowserServer>) => {
    started.then(
      (server) => server.process().once('exit', () => (browser === started ? (browser = undefined) : undefined)),
      () => undefined,
    );
    return started;
  };
  const launcher = createServer((request, response) => {
    if (request.url !== path) return void response.writeHead(404).end();
    browser ??= relaunchedIfItExits(launch());
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
