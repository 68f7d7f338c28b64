import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { publishedTips, type Tip } from '../../../src/content/index.ts';
import { describeReaderData } from '../../../src/store/reader-data.ts';
import { subscriberLinks } from '../../../src/subscription/links.ts';
import { CONTENT_SECURITY_POLICY } from '../../../src/web/security.ts';
import { type Harness, onSite, subscribeAndConfirm, useHarness } from '../harness.ts';

const BASE = 'http://localhost:3000';
const PAGES = ['/', '/tips', '/tips/stop-it-in-its-tracks', '/help', '/about', '/privacy'];

const get = async (h: Harness, p: string) => {
  const res = await fetch(`${h.url}${p}`);
  return { res, body: await res.text() };
};
const count = (s: string, re: RegExp) => (s.match(re) ?? []).length;
const attr = (page: string, re: RegExp) => re.exec(page)?.[1];
const h1Of = (page: string) => attr(page, /<h1>([^<]*)<\/h1>/);
const unescape = (s: string) =>
  s
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** Waits for the watched content to show a change (the site is never restarted). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the public pages', () => {
  const h = useHarness({ env: { NEWSLETTER_BASE_URL: BASE } });
  let published: Tip[];
  beforeAll(() => {
    published = publishedTips(h.project.tips);
  });

  it('every page has a title, description, canonical and Open Graph meta, lang, one h1, landmarks, the urgent-help line, and only its own assets', async () => {
    for (const p of PAGES) {
      const { res, body } = await get(h, p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(body).toMatch(/^<!doctype html>\n<html lang="en-US">/);
      expect(count(body, /<title>[^<]+<\/title>/g), p).toBe(1);
      expect(attr(body, /<meta name="description" content="([^"]+)">/), p).toBeTruthy();
      expect(attr(body, /<link rel="canonical" href="([^"]+)">/), p).toBe(`${BASE}${p}`);
      expect(attr(body, /<meta property="og:url" content="([^"]+)">/), p).toBe(`${BASE}${p}`);
      expect(body, p).toMatch(/<meta property="og:title" content="[^"]+">/);
      expect(count(body, /<h1[ >]/g), p).toBe(1);
      for (const landmark of ['<header', '<nav', '<main', '<footer'])
        expect(body, `${p} ${landmark}`).toContain(landmark);
      expect(unescape(body), p).toContain(h.project.series.urgentHelp);
      expect(body, p).not.toContain('noindex');
      // Assets, styles, scripts and images only from the site itself.
      const assets = [
        ...body.matchAll(/<(?:link rel="(?:stylesheet|icon|alternate)"|script|img)[^>]*? (?:href|src)="([^"]+)"/g),
      ].map((m) => m[1]!);
      expect(assets.length, p).toBeGreaterThanOrEqual(3);
      for (const url of assets) expect(url.startsWith('/'), `${p}: ${url}`).toBe(true);
    }
  });

  it('serves the style sheet and icon under content-hashed names, cached for a year', async () => {
    const { body } = await get(h, '/');
    for (const asset of [
      attr(body, /<link rel="stylesheet" href="([^"]+)">/)!,
      attr(body, /<link rel="icon" href="([^"]+)"/)!,
    ]) {
      expect(asset).toMatch(/^\/assets\/[a-z]+\.[0-9a-f]{12}\.(css|svg)$/);
      const res = await fetch(`${h.url}${asset}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    expect((await fetch(`${h.url}/assets/site.000000000000.css`)).status).toBe(404);
  });

  it('the start page shows the form, the promise, the outline of every published tip in week order, and a sample tip', async () => {
    const { body } = await get(h, '/');
    expect(body).toContain('<form method="post" action="/subscribe">');
    expect(body).toContain(`${published.length} weeks, one evening a week, no ads, no tracking.`);
    const outline = [...body.matchAll(/<li><a href="\/tips\/([^"]+)">Week (\d+): /g)].map((m) => m[1]);
    expect(outline).toEqual(published.map((t) => t.slug));
    expect(body).toContain('<h2 id="sample">A sample tip</h2>');
    expect(body).toContain(`<a href="/tips/${published[0]!.slug}">Read the whole tip`);
    for (const link of ['/help', '/about', '/privacy']) expect(body).toContain(`href="${link}"`);
  });

  it('before any tip is published, the start page promises no number of weeks and shows no empty outline', async () => {
    const { homePage } = await import('../../../src/web/public/home.ts');
    const { publicContent } = await import('../../../src/web/public/content.ts');
    const drafts = h.project.tips.map((t) => ({ ...t, draft: true }));
    const page = homePage(
      { series: h.project.series },
      await publicContent({ series: h.project.series, tips: drafts, pages: [] }),
    );
    expect(page).not.toMatch(/\b0 weeks/);
    expect(page).toContain('The first tips are being written and checked now.');
    expect(page).not.toContain('id="outline"');
    expect(page).not.toContain('id="sample"');
    expect(page).toContain('<form method="post" action="/subscribe">');
  });

  it("a tip page has the email's content without personal links, then a sign-up form; unknown slugs 404", async () => {
    const tip = published.find((t) => t.slug === 'stop-it-in-its-tracks')!;
    const { body } = await get(h, `/tips/${tip.slug}`);
    expect(unescape(h1Of(body)!)).toBe(tip.title);
    expect(body).toContain(`Week ${tip.week}`);
    expect(unescape(body)).toContain(tip.tonight!);
    for (const s of tip.sources) expect(body).toContain(`href="${s.url}"`);
    expect(body).toContain(`<time datetime="${tip.reviewed}">`);
    expect(body).not.toMatch(/token=|Hi there|%%ncw/);
    expect(body).not.toMatch(/ style="/);
    expect(body).toContain('<form method="post" action="/subscribe">');
    expect((await get(h, '/tips/no-such-tip')).res.status).toBe(404);
  });

  it('the archive lists every published tip in week order', async () => {
    const { body } = await get(h, '/tips');
    expect([...body.matchAll(/<li><a href="\/tips\/([^"]+)">/g)].map((m) => m[1])).toEqual(
      published.map((t) => t.slug),
    );
  });

  it("help shows the editors' page with its sources; about has the mistake-report mailto from series.yml", async () => {
    const help = (await get(h, '/help')).body;
    expect(h1Of(help)).toBe('When to get help');
    const page = h.project.pages.find((p) => p.name === 'help')!;
    for (const s of page.sources) expect(help).toContain(`href="${s.url}"`);
    expect(help.indexOf('Call 911')).toBeLessThan(help.indexOf('Book a visit'));
    const about = (await get(h, '/about')).body;
    expect(about).toContain(`href="mailto:${h.project.series.corrections}?subject=`);
    expect(about).toMatch(/No ads, no sponsors, and no products to sell/);
  });

  it('privacy lists every column the live database keeps about readers, with what it is', async () => {
    const { body } = await get(h, '/privacy');
    const report = await describeReaderData(h.db);
    expect(report.tables.length).toBeGreaterThan(0);
    for (const table of report.tables) {
      expect(body).toContain(`<code>${table.name}</code>`);
      // Each under its plain name, the database's name only as a detail (see reader-pages.test.ts).
      for (const c of table.columns)
        expect(unescape(body)).toContain(
          `<dt>${c.label}</dt><dd>${c.description} <span class="column">In the database: <code>${c.name}</code></span></dd>`,
        );
    }
    expect(body).not.toContain('Not described yet');
    expect(body).toContain('Download or delete your data');
  });

  it('the Atom feed parses with a real feed parser, with unique ids, updated times and absolute links', async () => {
    const { res, body } = await get(h, '/feed.xml');
    expect(res.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = parseFeed(body);
    expect(feed.meta.type).toBe('atom');
    expect(feed.title).toBe(h.project.series.name);
    expect(feed.self).toBe(`${BASE}/feed.xml`);
    expect(feed.updated).toBeInstanceOf(Date);
    expect(feed.items.map((i) => i.url)).toEqual(published.map((t) => `${BASE}/tips/${t.slug}`));
    expect(feed.items.map((i) => i.description)).toEqual(published.map((t) => t.preheader));
    for (const [i, item] of feed.items.entries()) {
      expect(item.updated?.toISOString().slice(0, 10)).toBe(published[i]!.reviewed);
      expect(item.id).toBe(item.url);
    }
    expect(new Set(feed.items.map((i) => i.id)).size).toBe(published.length);
    // RFC 4287's rules that feed readers rely on, checked on the XML itself.
    const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
    const head = body.slice(0, body.indexOf('<entry>'));
    for (const el of ['id', 'title', 'updated']) expect(count(head, new RegExp(`<${el}>`, 'g')), `feed ${el}`).toBe(1);
    expect(head).toMatch(/<author><name>[^<]+<\/name><\/author>/);
    for (const entry of body.split('<entry>').slice(1)) {
      for (const el of ['id', 'title', 'updated', 'summary'])
        expect(count(entry, new RegExp(`<${el}>`, 'g')), `entry ${el}`).toBe(1);
      expect(/<updated>([^<]+)<\/updated>/.exec(entry)![1]).toMatch(rfc3339);
      expect(new URL(/<id>([^<]+)<\/id>/.exec(entry)![1]!).protocol).toBe('http:');
      expect(/<link rel="alternate" type="text\/html" href="([^"]+)"\/>/.exec(entry)![1]).toMatch(/^https?:\/\//);
    }
  });

  it('sitemap and robots.txt list the public pages only; personal pages say noindex', async () => {
    const sitemap = (await get(h, '/sitemap.xml')).body;
    const locs = [...sitemap.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    expect(locs).toEqual([
      `${BASE}/`,
      `${BASE}/tips`,
      ...published.map((t) => `${BASE}/tips/${t.slug}`),
      `${BASE}/help`,
      `${BASE}/about`,
      `${BASE}/privacy`,
    ]);
    const robots = (await get(h, '/robots.txt')).body;
    expect(robots).toContain(`Sitemap: ${BASE}/sitemap.xml`);
    for (const p of ['/preferences?token=x', '/unsubscribe?token=x', '/confirm?token=x']) {
      const { res, body } = await get(h, p);
      expect(res.headers.get('x-robots-tag'), p).toBe('noindex, nofollow');
      expect(body, p).toContain('<meta name="robots" content="noindex, nofollow">');
    }
  });

  it('every tip email\'s "View in your browser" link answers 200 with the same title, and every email links to /help', async () => {
    for (const tip of published) {
      const links = subscriberLinks(
        BASE,
        'some-secret-of-at-least-32-bytes-length!',
        'reader',
        h.clock.now(),
        tip.slug,
      );
      const email = h.project.renderer.personalise(await h.project.renderer.compileTip(tip), { name: 'Ann', ...links });
      const url = `${BASE}/tips/${tip.slug}`;
      expect(email.html).toContain(`<a href="${url}" style="color:#3e4c59;">View in your browser</a>`);
      // The text part keeps a link whole: on the same line when it fits in 76, else on its own.
      expect(email.text.startsWith(`${h.project.series.name} · Week ${tip.week}\nView in your browser:`)).toBe(true);
      expect(email.text.split('\n').slice(1, 3).join(' ')).toMatch(
        new RegExp(`^View in your browser: +${url.replace(/[.]/g, '\\.')}( |$)`),
      );
      const { res, body } = await get(h, new URL(url).pathname);
      expect(res.status, tip.slug).toBe(200);
      expect(unescape(h1Of(body)!)).toBe(tip.title);
      expect(unescape(attr(body, /<title>([^<]+)<\/title>/)!)).toContain(tip.title);
      expect(email.html).toContain(`href="${BASE}/help"`);
      expect(email.text).toContain(`When to get help, all the warning signs: ${BASE}/help`);
    }
    // System emails, as they arrive over SMTP: the help link in both parts, and it answers.
    const { confirmation, welcome } = await subscribeAndConfirm(h, 'reader-help@example.org');
    for (const mail of [confirmation, welcome]) {
      expect(mail.parsed.html).toContain(`href="${BASE}/help"`);
      expect(mail.parsed.text).toContain(`${BASE}/help`);
      expect(mail.parsed.html).not.toContain('View in your browser');
    }
    expect((await fetch(onSite(h, `${BASE}/help`))).status).toBe(200);
  });

  it('editing, drafting and un-drafting tips shows on the pages without a restart; a draft is in no archive, feed or sitemap', async () => {
    const [first, second] = published as [Tip, Tip];
    const firstFile = path.join(h.temp.dir, first.file);
    const secondFile = path.join(h.temp.dir, second.file);
    const firstText = await readFile(firstFile, 'utf8');
    const secondText = await readFile(secondFile, 'utf8');
    const renders = h.content.version();

    await writeFile(firstFile, firstText.replace(/^title: .*$/m, 'title: "A calf, explained at night"'));
    await writeFile(secondFile, secondText.replace(/^week: (\d+)$/m, 'week: $1\ndraft: true'));
    await until(
      async () => h1Of((await get(h, `/tips/${first.slug}`)).body) === 'A calf, explained at night',
      'the edited title',
    );
    await until(async () => (await get(h, `/tips/${second.slug}`)).res.status === 404, 'the draft to 404');
    expect(h.content.version()).toBeGreaterThan(renders);
    for (const p of ['/', '/tips', '/feed.xml', '/sitemap.xml']) {
      const { body } = await get(h, p);
      expect(body, p).not.toContain(`/tips/${second.slug}`);
      expect(body, p).toContain(`/tips/${first.slug}`);
    }
    expect((await get(h, '/tips')).body).toContain('A calf, explained at night');

    await writeFile(firstFile, firstText);
    await writeFile(secondFile, secondText);
    await until(async () => (await get(h, `/tips/${second.slug}`)).res.status === 200, 'the tip to be back');
    await until(
      async () => unescape(h1Of((await get(h, `/tips/${first.slug}`)).body)!) === first.title,
      'the old title',
    );
  });
});
