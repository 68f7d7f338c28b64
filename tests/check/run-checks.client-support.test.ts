import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { checkLoadedProject } from '../../src/check/run-checks.ts';
import { loadProject } from '../../src/render/project.ts';
import { fixtureContent, repoRoot } from '../support/temp-project.ts';

describe('client support in the checks', () => {
  it('is info only, so leaving it out (as the publish rules do) changes no error or warning', async () => {
    const config = loadConfig(
      {
        NEWSLETTER_SECRET: 'client-support-test-secret-0123456789abcdef',
        NEWSLETTER_BASE_URL: 'https://night-cramp-weekly.example',
        NEWSLETTER_CONTENT_DIR: fixtureContent,
      },
      repoRoot,
    );
    const project = await loadProject({ ...config, cacheDir: false });
    const now = new Date('2026-12-06T12:00:00Z');
    const full = await checkLoadedProject(config, project, now);
    const gate = await checkLoadedProject(config, project, now, { clientSupport: false });
    const judged = full.problems.filter((p) => p.check === 'client-support');
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.every((p) => p.severity === 'info')).toBe(true);
    expect(gate.problems.filter((p) => p.check === 'client-support')).toEqual([]);
    const notInfo = (r: typeof full) => r.problems.filter((p) => p.severity !== 'info');
    expect(notInfo(gate)).toEqual(notInfo(full));
    expect(gate.tipsChecked).toBe(full.tipsChecked);
  }, 60_000);
});
