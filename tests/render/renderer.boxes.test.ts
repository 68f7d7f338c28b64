import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProject, type Project } from '../../src/render/project.ts';
import { subscriberLinks } from '../../src/subscription/links.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { THREE_KINDS, writeThreeKindsTip } from './three-kinds.ts';

const BASE = 'https://news.example.org';
const SECRET = 'warnings-test-secret-0123456789abcdef';
const now = new Date('2026-11-28T12:00:00Z');

/**
 * A warning, a plain quote and the tonight box in one tip email, as the reader gets it: in the
 * HTML each is its own element with its own look; in the text part the warning starts with
 * "IMPORTANT:", the quote with "> ", and the tonight box under its heading.
 */
describe('the three kinds of box in a tip email', () => {
  let tp: TempProject;
  let email: { html: string; text: string };
  beforeAll(async () => {
    tp = await tempProject({ NEWSLETTER_BASE_URL: BASE });
    await writeThreeKindsTip(tp.dir);
    const project: Project = await loadProject(tp.config);
    const tip = project.tips.find((t) => t.slug === THREE_KINDS.slug);
    if (!tip) throw new Error(`the test tip did not load: ${project.problems.map((p) => p.message).join('; ')}`);
    const compiled = await project.renderer.compileTip(tip);
    email = project.renderer.personalise(compiled, {
      name: 'Ann',
      ...subscriberLinks(BASE, SECRET, 'reader-1', now, tip.slug),
    });
  });
  afterAll(() => tp?.cleanup());

  it('the text part: "IMPORTANT:" starts the warning, "> " the quote, and the tonight box has its heading', () => {
    const lines = email.text.split('\n');
    const warning = lines.findIndex((l) => l.startsWith('IMPORTANT: Pain and swelling in one leg'));
    expect(warning, email.text).toBeGreaterThan(0);
    // Blank lines around it: it stands apart from the tip's own paragraphs.
    expect(lines[warning - 1]).toBe('');
    expect(lines.filter((l) => l.startsWith('IMPORTANT:'))).toHaveLength(1);
    expect(email.text.replace(/\s+/g, ' ')).toContain(`IMPORTANT: ${THREE_KINDS.warning}`);
    expect(lines).toContain(`> ${THREE_KINDS.quote}`);
    expect(email.text).toMatch(new RegExp(`\\nTRY THIS TONIGHT\\n${THREE_KINDS.tonight}\\n`));
    expect(email.text).not.toContain('[!WARNING]');
  });

  it('the HTML: a warning labelled "Important" in red on a pale fill, a quote with a grey rule, the tonight box in blue-grey', () => {
    const html = email.html;
    expect(html).not.toContain('[!WARNING]');
    const warning =
      /<div class="important" role="note" style="([^"]*)"><p class="important-label" style="[^"]*color:#b42318;">Important<\/p><p[^>]*>([^<]*)<\/p>/.exec(
        html,
      );
    expect(warning?.[2]).toBe(THREE_KINDS.warning);
    expect(warning?.[1]).toContain('background:#fef3f2;');
    expect(warning?.[1]).toContain('border-left:6px solid #b42318;');
    const quote = /<div class="quote" style="([^"]*)"><p[^>]*>([^<]*)<\/p>/.exec(html);
    expect(quote?.[2]).toBe(THREE_KINDS.quote);
    expect(quote?.[1]).toContain('border-left:3px solid #7b8794;');
    expect(quote?.[1]).not.toContain('background');
    // The tonight box (MJML's column) keeps its own fill and brand edge.
    expect(html).toMatch(
      /class="[^"]*\bcallout"[^>]*>\s*<table[^>]*>\s*<tr>\s*<td\s+style="background-color:#f3f6f9;border-left:4px solid #1d5f8a;/,
    );
    // The dark scheme restyles all three, each in its own way.
    // (The <style> as compacted: no spaces around braces, semicolons and a declaration's colon.)
    expect(html).toMatch(/\.card \.important\{background:#3a1c19 !important;/);
    expect(html).toMatch(/\.card \.important \.important-label\{color:#ffb3a8 !important;\}/);
    expect(html).toMatch(/\.card \.quote\{border-left-color:#9aa5b1 !important;\}/);
  });
});
