import { describe, expect, it } from 'vitest';
import { bodyText, countWords } from '../../src/check/editorial.ts';
import { markdownToEmailHtml, markdownToWebHtml } from '../../src/content/markdown.ts';
import { parseTip } from '../../src/content/tips.ts';
import { formatProblem } from '../../src/problems.ts';

const style = { accent: '#1d5f8a' };
const warning = (marker: string) =>
  `Before.\n\n> [!${marker}]\n> Pain and swelling in one leg may be a [blood clot](https://www.nhs.uk/conditions/dvt/).\n\nAfter.\n`;

describe('a Markdown alert (> [!WARNING]) in a tip', () => {
  it.each(['WARNING', 'CAUTION', 'IMPORTANT', 'warning'])(
    '[!%s] is a warning labelled "Important", for email and for the web',
    (marker) => {
      const email = markdownToEmailHtml(warning(marker), style);
      expect(email.findings).toEqual([]);
      expect(email.html).toMatch(
        /<div class="important" role="note" style="[^"]*background:#fef3f2;[^"]*border-left:6px solid #b42318;"><p class="important-label" style="[^"]*">Important<\/p><p[^>]*>Pain and swelling/,
      );
      expect(email.html).not.toContain('[!');
      // A link inside takes the text colour: the brand colour may be too light on the pale fill.
      expect(email.html).toContain(
        '<a href="https://www.nhs.uk/conditions/dvt/" style="color:#1f2933;text-decoration:underline;">blood clot</a>',
      );
      expect(email.html).not.toContain('class="quote"');

      const web = markdownToWebHtml(warning(marker));
      expect(web.html).toBe(
        '<p>Before.</p>\n<div class="important" role="note">\n<p class="important-label">Important</p>\n<p>Pain and swelling in one leg may be a <a href="https://www.nhs.uk/conditions/dvt/">blood clot</a>.</p>\n</div>\n<p>After.</p>\n',
      );
    },
  );

  it("takes the warning on the marker's own line too, and keeps lists and paragraphs inside it", () => {
    const { html } = markdownToWebHtml('> [!WARNING] Call 911 now if you are short of breath.\n');
    expect(html).toContain('<p class="important-label">Important</p>\n<p>Call 911 now if you are short of breath.</p>');
    const { html: list } = markdownToWebHtml(
      '> [!WARNING]\n>\n> Get help today if:\n>\n> - one leg is swollen\n> - it is warm\n',
    );
    expect(list).toMatch(
      /<div class="important" role="note">\n<p class="important-label">Important<\/p>\n<p>Get help today if:<\/p>\n<ul>\n<li>one leg is swollen<\/li>\n<li>it is warm<\/li>\n<\/ul>\n<\/div>/,
    );
  });

  it('leaves a plain quote a quote: a grey rule and no fill in email, a <blockquote> on the web', () => {
    const md = '> Some people find a warm bath helps.\n';
    const email = markdownToEmailHtml(md, style).html;
    expect(email).toBe(
      '<div class="quote" style="margin:0 0 16px;padding:2px 0 2px 16px;border-left:3px solid #7b8794;"><p style="margin:0;">Some people find a warm bath helps.</p>\n</div>\n',
    );
    expect(email).not.toContain('background');
    expect(markdownToWebHtml(md).html).toBe(
      '<blockquote class="quote">\n<p>Some people find a warm bath helps.</p>\n</blockquote>\n',
    );
  });

  it('gives the web no inline style at all, whatever the Markdown holds', () => {
    const md = `## Heading\n\nText with [a link](https://example.org/a) and **bold**.\n\n- one\n- two\n\n1. first\n2. second\n\n![A calf stretch](https://example.org/s.png)\n\n    code\n\n---\n\n${warning('WARNING')}\n> quote\n`;
    const web = markdownToWebHtml(md).html;
    expect(web).not.toMatch(/style=/);
    expect(web).toContain('<h2>Heading</h2>');
    expect(web).toContain('<img src="https://example.org/s.png" alt="A calf stretch">');
    expect(markdownToEmailHtml(md, style).html).toMatch(/<h2 style=/);
  });

  it('refuses [!NOTE], [!TIP] or an empty warning, at its line, saying what to write', () => {
    const tip = (body: string) =>
      `---\ntitle: T\nweek: 1\nsources:\n  - {title: NHS, url: "https://www.nhs.uk/conditions/leg-cramps/"}\n---\nFirst line.\n\n${body}`;
    const note = parseTip(tip('> [!NOTE]\n> A note.\n'), 'content/tips/01-t.md', style);
    expect(note.tip).toBeUndefined();
    expect(note.problems.map(formatProblem)).toEqual([
      'content/tips/01-t.md:9: "[!NOTE]" is not a kind of note this newsletter shows: write "> [!WARNING]" for a safety warning, or a plain ">" quote',
    ]);
    expect(parseTip(tip('> [!TIP]\n> A tip.\n'), 'content/tips/01-t.md', style).problems.map((p) => p.check)).toEqual([
      'alert',
    ]);
    const empty = parseTip(tip('Text.\n\n> [!WARNING]\n'), 'content/tips/01-t.md', style);
    expect(empty.problems.map(formatProblem)).toEqual([
      'content/tips/01-t.md:11: the "[!WARNING]" warning is empty: write the warning on the lines after it, each starting with ">"',
    ]);
  });

  it("gives a loaded tip both bodies: the email's and the site's", () => {
    const { tip } = parseTip(
      `---\ntitle: T\nweek: 1\nsources:\n  - {title: NHS, url: "https://www.nhs.uk/conditions/leg-cramps/"}\n---\n${warning('WARNING')}`,
      'content/tips/01-t.md',
      style,
    );
    expect(tip!.html).toContain('class="important" role="note" style=');
    expect(tip!.webHtml).toContain('<div class="important" role="note">\n<p class="important-label">Important</p>');
    expect(tip!.webHtml).not.toContain('style=');
  });

  it('counts only the editor\'s words for the writing rules: the "Important" label is not one of them', () => {
    const md = 'One two three.\n\n> [!WARNING]\n> Four five six.\n';
    const text = bodyText(markdownToEmailHtml(md, style).html);
    expect(text).not.toMatch(/important/i);
    expect(countWords(text)).toBe(6);
  });
});
