import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'parse5';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/render/project.ts';
import { compileMjml } from '../../src/render/mjml.ts';
import { checkEmail, HTML_MAX_BYTES } from '../../src/render/email-checks.ts';
import { TemplateError } from '../../src/render/index.ts';
import { subscriberLinks } from '../../src/subscription/links.ts';
import { verifyToken } from '../../src/subscription/tokens.ts';
import { useTempProject } from '../support/use-resource.ts';

const BASE = 'https://news.example.org';
const SECRET = 'renderer-test-secret-0123456789abcdef';
const now = new Date('2026-11-28T12:00:00Z');

type Node = { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: Node[]; value?: string };

function walk(node: Node, visit: (n: Node) => void) {
  visit(node);
  for (const c of node.childNodes ?? []) walk(c, visit);
  const content = (node as { content?: Node }).content;
  if (content) walk(content, visit);
}
function elements(html: string, name: string): Node[] {
  const found: Node[] = [];
  walk(parse(html) as unknown as Node, (n) => n.nodeName === name && found.push(n));
  return found;
}
function textOf(n: Node): string {
  let out = '';
  walk(n, (c) => {
    if (c.nodeName === '#text') out += c.value ?? '';
  });
  return out;
}
const attr = (n: Node, name: string) => n.attrs?.find((a) => a.name === name)?.value;

const project = useTempProject({ NEWSLETTER_BASE_URL: BASE });

async function renderWeek(week: number, name: string | null = 'Ann') {
  const p = await loadProject(project.config);
  const tip = p.tips.find((t) => t.week === week)!;
  const compiled = await p.renderer.compileTip(tip);
  return {
    tip,
    compiled,
    email: p.renderer.personalise(compiled, { name, ...subscriberLinks(BASE, SECRET, 'sub-123', now, tip.slug) }),
  };
}

describe('a finished tip email, read with a real HTML parser', () => {
  it('has lang, presentation tables, a title, and only absolute https or mailto links', async () => {
    const { email, tip } = await renderWeek(1);
    const html = elements(email.html, 'html')[0]!;
    expect(attr(html, 'lang')).toBe('en-US');
    const tables = elements(email.html, 'table');
    expect(tables.length).toBeGreaterThan(3);
    for (const t of tables) expect(attr(t, 'role')).toBe('presentation');
    expect(elements(email.html, 'title')[0]?.childNodes?.[0]?.value).toBe(tip.subject);
    const hrefs = elements(email.html, 'a').map((a) => attr(a, 'href') ?? '');
    expect(hrefs.length).toBeGreaterThan(4);
    for (const href of hrefs) expect(href).toMatch(/^(https:\/\/[^\s]+|mailto:[^\s]+)$/);
    for (const s of tip.sources) expect(hrefs).toContain(s.url);
    // No tracking pixels, no remote fonts or styles: nothing loads from anywhere.
    expect(elements(email.html, 'img')).toHaveLength(0);
    expect(elements(email.html, 'link')).toHaveLength(0);
  });

  it('carries a visible unsubscribe link whose token is signed for this reader and purpose', async () => {
    const { email } = await renderWeek(2);
    const unsubscribe = elements(email.html, 'a').find((a) => textOf(a).trim() === 'Unsubscribe');
    const href = attr(unsubscribe!, 'href')!;
    expect(href.startsWith(`${BASE}/unsubscribe?token=`)).toBe(true);
    const token = new URL(href).searchParams.get('token');
    expect(verifyToken(SECRET, token, 'unsubscribe', now)).toMatchObject({ ok: true, subject: 'sub-123' });
    expect(verifyToken(SECRET, token, 'preferences', now)).toMatchObject({ ok: false, reason: 'wrong-purpose' });
    expect(email.html).toContain(`${BASE}/preferences?token=`);
  });

  it('has the disclaimer, the urgent-help line and the postal address in the footer', async () => {
    const { email } = await renderWeek(3);
    const p = await loadProject(project.config);
    for (const part of [email.html, email.text]) {
      expect(part).toContain(p.series.postalAddress);
      expect(part.replace(/\s+/g, ' ')).toContain(p.series.urgentHelp.slice(0, 40));
    }
    expect(email.html).toContain('TRY THIS TONIGHT');
  });

  it('escapes a hostile name in the HTML and keeps it as text in the text part', async () => {
    const { email } = await renderWeek(4, '<script>alert("x")</script><img src=x onerror=alert(1)>');
    expect(email.html).not.toMatch(/<script/i);
    expect(email.html).not.toMatch(/<img/i);
    expect(email.html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(elements(email.html, 'script')).toHaveLength(0);
    expect(email.text).toContain('Hi <script>alert("x")</script>');
  });

  it('greets a reader without a name, and strips line breaks from a name', async () => {
    expect((await renderWeek(5, null)).email.html).toContain('Hi there,');
    expect((await renderWeek(5, 'Ann\r\nBcc: x@y.z')).email.text).toContain('Hi Ann Bcc: x@y.z,');
  });

  it('writes out every link in the text part', async () => {
    const { email, tip } = await renderWeek(2);
    for (const s of tip.sources) expect(email.text).toContain(s.url);
    expect(email.text).toMatch(new RegExp(`Unsubscribe:\\n${BASE}/unsubscribe\\?token=\\S+`));
    expect(email.text).toMatch(new RegExp(`${BASE}/preferences\\?token=\\S+`));
    // Links inside the tip body keep their address after their text.
    const bodyLinks = [...tip.html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    for (const href of bodyLinks) expect(email.text).toContain(href);
    expect(email.text).not.toMatch(/<[a-z]+[ >]/i);
  });

  it('passes the email checks and stays far under the size limit', async () => {
    const { email } = await renderWeek(6);
    expect(checkEmail(email, { baseUrl: BASE }).filter((p) => p.severity === 'error')).toEqual([]);
    expect(Buffer.byteLength(email.html)).toBeLessThan(HTML_MAX_BYTES / 2);
  });
});

describe('compile once, personalise many', () => {
  it('runs MJML once for a tip personalised for 1,000 recipients', async () => {
    let runs = 0;
    const counting = async (mjml: string) => {
      runs++;
      return compileMjml(mjml);
    };
    // The in-memory cache alone: earlier tests left this tip in the disk cache (see compiled-cache.test.ts).
    const p = await loadProject({ ...project.config, cacheDir: false }, { mjml: counting });
    const tip = p.tips[0]!;
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const compiled = await p.renderer.compileTip(tip);
      const email = p.renderer.personalise(compiled, {
        name: `Reader ${i}`,
        ...subscriberLinks(BASE, SECRET, `sub-${i}`, now, tip.slug),
      });
      seen.add(email.html);
      expect(email.html).toContain(`Hi Reader ${i},`);
    }
    expect(runs).toBe(1);
    expect(seen.size).toBe(1000);
  });
});

describe('template errors name the file, the line and the tool', () => {
  it('a missing variable is an error in strict mode, not a blank', async () => {
    const file = path.join(project.dir, 'templates/partials/sources.mjml.hbs');
    const original = await readFile(file, 'utf8');
    await writeFile(
      file,
      original.replace('<strong>Where this comes from</strong>', '<strong>{{tip.sourcesHeading}}</strong>'),
    );
    try {
      const p = await loadProject(project.config);
      const error = await p.renderer.compileTip(p.tips[0]!).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).message).toBe(
        'templates/partials/sources.mjml.hbs:4: Handlebars: "sourcesHeading" not defined',
      );
    } finally {
      await writeFile(file, original);
    }
  });

  it('invalid MJML is reported at the template file and line it came from', async () => {
    const file = path.join(project.dir, 'templates/partials/footer.mjml.hbs');
    const original = await readFile(file, 'utf8');
    const lines = original.split('\n');
    const at = lines.findIndex((l) => l.includes('<mj-text '));
    lines[at] = lines[at]!.replace('<mj-text ', '<mj-text colour="red" ');
    await writeFile(file, lines.join('\n'));
    try {
      const p = await loadProject(project.config);
      const error = await p.renderer.compileSystem('welcome').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TemplateError);
      expect((error as TemplateError).message).toBe(
        `templates/partials/footer.mjml.hbs:${at + 1}: MJML: <mj-text> Attribute colour is illegal`,
      );
    } finally {
      await writeFile(file, original);
    }
  });

  it('a Handlebars syntax error names the file and line', async () => {
    const file = path.join(project.dir, 'templates/tip.mjml.hbs');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('{{tip.title}}', '{{tip.title}'));
    try {
      const p = await loadProject(project.config);
      const error = await p.renderer.compileTip(p.tips[0]!).catch((e: unknown) => e);
      expect((error as TemplateError).file).toBe('templates/tip.mjml.hbs');
      expect((error as TemplateError).line).toBe(
        original.split('\n').findIndex((l) => l.includes('{{tip.title}}')) + 1,
      );
      expect((error as TemplateError).detail).toMatch(/^Handlebars: Parse error/);
    } finally {
      await writeFile(file, original);
    }
  });
});

describe('system emails', () => {
  it('the confirmation carries the signed confirm link and no list links; the welcome has them', async () => {
    const p = await loadProject(project.config);
    const links = subscriberLinks(BASE, SECRET, 'sub-9', now);
    const confirm = p.renderer.personalise(await p.renderer.compileSystem('confirm'), { name: null, ...links });
    expect(confirm.html).toContain(links.confirmUrl.replace(/&/g, '&amp;'));
    expect(confirm.html).not.toContain('/unsubscribe?token=');
    const welcome = p.renderer.personalise(await p.renderer.compileSystem('welcome'), { name: 'Bo', ...links });
    expect(welcome.html).toContain('/unsubscribe?token=');
    const goodbye = p.renderer.personalise(await p.renderer.compileSystem('goodbye'), { name: 'Bo', ...links });
    expect(goodbye.text).toContain(`${BASE}/`);
  });
});
