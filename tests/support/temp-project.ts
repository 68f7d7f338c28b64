import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, type Config } from '../../src/config.ts';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The suite's own series: a snapshot of the twelve shipped tips, the help page and series.yml.
 * Tests read this, never the repo's content/, so an editor's new draft or rewrite there cannot
 * break `npm test` (tests/architecture/own-content.test.ts holds every test file to that).
 */
export const fixtureContent = path.join(repoRoot, 'tests/fixtures/content');

export interface TempProject {
  dir: string;
  config: Config;
  cleanup(): Promise<void>;
}

/**
 * A throwaway project in a temp folder: the suite's fixture content and the repo's templates, with
 * its own SQLite file and outbox there, so a test can edit and send without touching the repo.
 */
export async function tempProject(env: Record<string, string> = {}): Promise<TempProject> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ncw-test-'));
  await cp(fixtureContent, path.join(dir, 'content'), { recursive: true });
  await cp(path.join(repoRoot, 'templates'), path.join(dir, 'templates'), { recursive: true });
  const config = loadConfig({ NEWSLETTER_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!', ...env }, dir);
  // Retries: work a test started may still be writing the compiled cache (.cache/) as it ends.
  return { dir, config, cleanup: () => rm(dir, { recursive: true, force: true, maxRetries: 5 }) };
}
