import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Whether browser tests run here. In CI (CI=true) a missing Chromium is a failure, not a skip;
 * on a laptop without it the tests skip with a message that says how to run them.
 */
export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI)
    throw new Error(
      `Chromium not found at ${CHROMIUM}: .ci/run installs it (apt-get install -y chromium); set CHROMIUM_PATH if it lives elsewhere`,
    );
  console.warn(
    `[browser tests skipped] no Chromium at ${CHROMIUM}. Run: sudo apt-get install -y chromium (or set CHROMIUM_PATH), then npm test`,
  );
  return false;
}

/** Debian's Chromium, headless, with nothing reaching outside this machine. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}
