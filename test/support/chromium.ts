/**
 * The browser tests' Chromium: the run's one shared browser (launched by the global setup
 * ./shared-chromium.ts on the first file's request), connected to afresh by each file. The
 * Browser returned is this file's connection: its contexts are its own, and `close()` closes
 * them and disconnects, leaving the shared browser to the other files.
 */
import { type Browser, chromium } from 'playwright-core';
import { inject } from 'vitest';

export async function launchChromium(): Promise<Browser> {
  const answer = (await (await fetch(inject('chromiumLauncher'))).json()) as { wsEndpoint: string } | { error: string };
  if ('error' in answer) throw new Error(answer.error);
  return chromium.connect(answer.wsEndpoint);
}
