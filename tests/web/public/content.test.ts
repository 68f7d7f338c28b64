import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type Project } from '../../../src/render/project.ts';
import type { SubscriberStore } from '../../../src/subscription/subscriber-store.ts';
import type { Subscriptions } from '../../../src/subscription/subscriptions.ts';
import { publicContent, type ContentSource, type PublicContent } from '../../../src/web/public/content.ts';
import { startSite, type RunningSite } from '../../../src/web/site.ts';
import { tempProject, type TempProject } from '../../support/temp-project.ts';

describe('public pages are rendered once per content change, not per request', () => {
  let temp: TempProject;
  let project: Project;
  let site: RunningSite;
  let version = 0;
  let content: PublicContent;
  let reads = 0;

  beforeAll(async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    project = await loadProject(temp.config);
    // Counts how often the tip's body (the site's form of it) is read: only making its page does.
    const tips = project.tips.map((t) => {
      if (t.slug !== 'stop-it-in-its-tracks') return t;
      const copy = { ...t };
      Object.defineProperty(copy, 'webHtml', { get: () => (reads++, t.webHtml), enumerable: true });
      return copy;
    });
    content = await publicContent({ series: project.series, tips, pages: project.pages }, temp.dir);
    const source: ContentSource = { current: () => content, version: () => version, close: async () => undefined };
    // Only the public routes are exercised: the subscription parts are never called here.
    site = await startSite(
      { timezone: 'UTC', host: '127.0.0.1', port: 0, baseUrl: 'http://localhost:3000' },
      {
        content: source,
        subscriptions: {} as Subscriptions,
        store: {} as Pick<SubscriberStore, 'ping'>,
        series: project.series,
        secret: 'x'.repeat(40),
      },
    );
  });
  afterAll(async () => {
    await site?.close();
    await temp?.cleanup();
  });

  it('serves the same page from memory until the content version changes', async () => {
    const get = async () => (await fetch(`${site.address}/tips/stop-it-in-its-tracks`)).text();
    const first = await get();
    for (let i = 0; i < 5; i++) expect(await get()).toBe(first);
    expect(reads).toBe(1);
    version++;
    await get();
    await get();
    expect(reads).toBe(2);
  });
});
