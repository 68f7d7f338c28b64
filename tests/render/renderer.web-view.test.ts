import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/render/project.ts';
import { useTempProject } from '../support/use-resource.ts';

const BASE = 'https://news.example.org';
const reader = {
  name: 'Ann',
  unsubscribeUrl: `${BASE}/u`,
  preferencesUrl: `${BASE}/p`,
  feedbackUrl: `${BASE}/f?token=t`,
};

/** "View in your browser" links to the tip's public page, which only a published tip has. */
describe('the web view link', () => {
  const tp = useTempProject({ NEWSLETTER_BASE_URL: BASE });

  it('is in a published tip, in both parts, and not in a draft (a send-test of a draft would link to a 404)', async () => {
    const project = await loadProject(tp.config);
    const tip = project.tips[0]!;
    const url = `${BASE}/tips/${tip.slug}`;
    const published = project.renderer.personalise(await project.renderer.compileTip({ ...tip, draft: false }), reader);
    expect(published.html).toContain(`href="${url}"`);
    expect(published.text).toMatch(new RegExp(`View in your browser:\\s+${url.replace(/[.?]/g, '\\$&')}`));
    // The same renderer, the same tip as a draft: compiled apart, never served from the published entry.
    const draft = project.renderer.personalise(await project.renderer.compileTip({ ...tip, draft: true }), reader);
    expect(draft.html).not.toContain('View in your browser');
    expect(draft.html).not.toContain(url);
    expect(draft.text).not.toContain('View in your browser');
    expect(draft.text.split('\n')[0]).toBe(published.text.split('\n')[0]);
  });
});
