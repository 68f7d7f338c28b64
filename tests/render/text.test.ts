import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/render/project.ts';
import { systemEmails } from '../../src/render/index.ts';
import { subscriberLinks } from '../../src/subscription/links.ts';
import { verifyToken } from '../../src/subscription/tokens.ts';
import { wrapText } from '../../src/render/wrap.ts';
import { useTempProject } from '../support/use-resource.ts';

const BASE = 'https://news.example.org';
const SECRET = 'text-part-test-secret-0123456789abcdef';
const now = new Date('2026-11-28T12:00:00Z');

const tp = useTempProject({ NEWSLETTER_BASE_URL: BASE });

/** A line that is one link and nothing else cannot be wrapped; every other line must fit. */
const bareLink = (line: string) => /^\s*(https?:\/\/|mailto:)\S+$/.test(line);

describe('the text part', () => {
  it('wraps every line at 78 at most, tonight box, sources and footer included, for every email', async () => {
    const p = await loadProject(tp.config);
    const emails = [
      ...(await Promise.all(p.tips.map((t) => p.renderer.compileTip(t)))),
      ...(await Promise.all(systemEmails.map((k) => p.renderer.compileSystem(k)))),
    ];
    expect(p.tips.some((t) => t.tonight && t.tonight.length > 78)).toBe(true);
    for (const compiled of emails) {
      const text = p.renderer.personalise(compiled, {
        name: 'Ann',
        ...subscriberLinks(BASE, SECRET, 'reader-1', now, compiled.slug),
      }).text;
      const long = text.split('\n').filter((l) => l.length > 78 && !bareLink(l));
      expect(long, `${compiled.kind} ${compiled.slug ?? ''}`).toEqual([]);
    }
  });

  it("fills the system emails' paragraphs: a line breaks only where the next word would not fit in 76", async () => {
    const p = await loadProject(tp.config);
    for (const kind of systemEmails) {
      const compiled = await p.renderer.compileSystem(kind);
      const text = p.renderer.personalise(compiled, {
        name: 'Ann',
        ...subscriberLinks(BASE, SECRET, 'reader-1', now),
        firstTip: 'Your first tip arrives on Tuesday 1 December at 19:00 (Europe/London).',
      }).text;
      const body = text.split('Hi Ann,\n')[1]!.split('\n----\n')[0]!.trim();
      const early: string[] = [];
      for (const block of body.split(/\n{2,}/)) {
        const lines = block.split('\n');
        for (let i = 0; i + 1 < lines.length; i++) {
          const [line, next] = [lines[i]!, lines[i + 1]!];
          if (bareLink(line) || bareLink(next)) continue;
          if (line.length + 1 + next.split(' ')[0]!.length <= 76) early.push(`${line} / ${next}`);
        }
      }
      expect(early, kind).toEqual([]);
    }
  });

  it('leaves a blank line between the title and the greeting, and shows the tonight box and footer whole', async () => {
    const p = await loadProject(tp.config);
    const tip = p.tips.find((t) => t.tonight && t.tonight.length > 78)!;
    const text = p.renderer.personalise(await p.renderer.compileTip(tip), {
      name: 'Ann',
      ...subscriberLinks(BASE, SECRET, 'reader-1', now, tip.slug),
    }).text;
    expect(text).toContain(`${tip.title}\n\nHi Ann,`);
    const box = text.split('TRY THIS TONIGHT\n')[1]!.split('\n\n')[0]!;
    expect(box.replace(/\n/g, ' ')).toBe(tip.tonight);
    expect(box.split('\n').length).toBeGreaterThan(1);
    expect(text).toContain(p.series.disclaimer.split(' ').slice(0, 4).join(' '));
  });

  it('ends every tip with "Did this help?" links signed for that reader and that tip', async () => {
    const p = await loadProject(tp.config);
    const tip = p.tips[2]!;
    const email = p.renderer.personalise(await p.renderer.compileTip(tip), {
      name: 'Ann',
      ...subscriberLinks(BASE, SECRET, 'reader-1', now, tip.slug),
    });
    const yes = /Yes:\n(\S+)/.exec(email.text)![1]!;
    const no = /Not really:\n(\S+)/.exec(email.text)![1]!;
    for (const [link, answer] of [
      [yes, 'yes'],
      [no, 'no'],
    ] as const) {
      const u = new URL(link);
      expect(`${u.origin}${u.pathname}`).toBe(`${BASE}/feedback`);
      expect(u.searchParams.get('answer')).toBe(answer);
      expect(verifyToken(SECRET, u.searchParams.get('token'), 'feedback', now)).toMatchObject({
        ok: true,
        subject: `reader-1:${tip.slug}`,
      });
      // Purpose-bound: the feedback token opens nothing else.
      expect(verifyToken(SECRET, u.searchParams.get('token'), 'preferences', now)).toMatchObject({
        ok: false,
        reason: 'wrong-purpose',
      });
    }
    expect(email.html).toContain('Did this help?');
    const hrefs = [...email.html.matchAll(/href="([^"]+)"/g)].map((m) =>
      m[1]!.replace(/&amp;/g, '&').replace(/&#x3D;/g, '='),
    );
    expect(hrefs).toContain(yes);
    expect(hrefs).toContain(no);
    expect(email.html).toContain('>Not really</a>');
    // The system emails have no feedback block.
    const welcome = p.renderer.personalise(await p.renderer.compileSystem('welcome'), {
      name: 'Ann',
      ...subscriberLinks(BASE, SECRET, 'reader-1', now),
    });
    expect(welcome.text).not.toContain('Did this help?');
  });

  it("the welcome says when the first tip arrives; the confirmation button has the confirm page's words", async () => {
    const p = await loadProject(tp.config);
    const welcome = p.renderer.personalise(await p.renderer.compileSystem('welcome'), {
      name: 'Ann',
      ...subscriberLinks(BASE, SECRET, 'reader-1', now),
      firstTip: 'Your first tip arrives on Tuesday 1 December at 19:00 (Europe/London).',
    });
    expect(welcome.text).toContain('\nYour first tip arrives on Tuesday 1 December at 19:00 (Europe/London).\n');
    const far = p.renderer.personalise(await p.renderer.compileSystem('welcome'), {
      name: 'Ann',
      ...subscriberLinks(BASE, SECRET, 'reader-1', now),
      firstTip: 'Your first tip arrives on Wednesday 30 September at 19:00 (America/Argentina/Buenos_Aires).',
    });
    expect(far.text).toContain('at 19:00\n(America/Argentina/Buenos_Aires).');
    expect(far.text.split('\n').filter((l) => l.length > 78 && !bareLink(l))).toEqual([]);
    expect(welcome.html).toContain('Your first tip arrives on Tuesday 1 December at 19:00 (Europe/London).');
    const confirm = p.renderer.personalise(await p.renderer.compileSystem('confirm'), {
      name: 'Ann',
      ...subscriberLinks(BASE, SECRET, 'reader-1', now),
    });
    const { confirmPage } = await import('../../src/web/pages.ts');
    const page = confirmPage({ series: p.series, defaultTimezone: 'UTC' }, 'token');
    const pageButton = /<button type="submit">([^<]+)<\/button>/.exec(page)![1]!;
    expect(confirm.html).toMatch(new RegExp(`>\\s*${pageButton}\\s*</a>`));
    expect(confirm.text).toContain(`"${pageButton}"`);
  });

  it('wrapText keeps list items hanging and puts a link that would not fit on its own line', () => {
    const out = wrapText(`- ${'word '.repeat(20).trim()}\nSee https://example.org/${'x'.repeat(80)} for more`, 40);
    for (const line of out.split('\n')) if (!bareLink(line)) expect(line.length).toBeLessThanOrEqual(40);
    expect(out.split('\n')[1]).toMatch(/^ {2}word/);
    expect(out).toContain(`\nhttps://example.org/${'x'.repeat(80)}\nfor more`);
  });
});
