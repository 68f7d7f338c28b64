import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';
import { useResource } from './use-resource.ts';

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

/** Chromium for the enclosing describe's tests (see useResource), closed after them. */
export function useBrowser(): Browser {
  return useResource(launchBrowser, (browser) => browser.close());
}

let axeSource: Promise<string> | undefined;

/**
 * axe-core's serious and critical findings on the page, evaluated through the debugging
 * protocol so the page's own Content-Security-Policy stays on.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeResults['violations']> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  const results = (await page.evaluate(() =>
    (window as unknown as { axe: { run(o: object): Promise<unknown> } }).axe.run({ resultTypes: ['violations'] }),
  )) as AxeResults;
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
