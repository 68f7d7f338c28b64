import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessibilityFindings, accessibilityProblems } from '../../src/check/accessibility.ts';
import { repoRoot } from '../support/temp-project.ts';

const dir = path.join(repoRoot, 'tests/fixtures/a11y-emails');
const fixture = (name: string) => readFileSync(path.join(dir, name), 'utf8');
const DARK_FIX =
  'in the dark-scheme CSS (@media (prefers-color-scheme: dark) in templates/layout.mjml.hbs) use a lighter text colour or a darker background';
const LANG_FIX = 'set it on the <mjml> tag of templates/layout.mjml.hbs (e.g. <mjml lang="en-US" dir="ltr">)';

describe('accessibility checks on a rendered email: each fails on one small broken email', () => {
  it('passes the good email: a hidden preheader, a button label and a decorative image with alt="" are fine', () => {
    expect(accessibilityFindings(fixture('good.html'))).toEqual([]);
  });

  it.each([
    [
      'two-h1.html',
      'a11y-headings',
      '2 h1 headings ("A stretch before bed", "If it hurts"): keep one h1, the title; make the others ## sections',
    ],
    [
      'skipped-heading.html',
      'a11y-headings',
      'heading "How to do it" is an h3 but follows an h1: a level is skipped; make it an h2 (## in Markdown)',
    ],
    [
      'vague-links.html',
      'a11y-link-text',
      'link text "click here" (to https://www.nhs.uk/conditions/leg-cramps/) says nothing on its own: name where it goes, e.g. [NHS: leg cramps](https://…)',
      // The template's own links count too: the footer's unsubscribe link.
      'link text "here" (to https://news.example.org/unsubscribe?token=abc) says nothing on its own: name where it goes, e.g. [NHS: leg cramps](https://…)',
    ],
    [
      'bare-url-link.html',
      'a11y-link-text',
      'link text "https://www.nhs.uk/conditions/leg-cramps/" is a bare address (screen readers spell it out): write what the page is, e.g. [NHS: leg cramps](https://www.nhs.uk/conditions/leg-cramps/)',
    ],
    [
      'alt-file-name.html',
      'a11y-image-alt',
      'image https://news.example.org/calf.png has a file name as alt text "IMG_2041.jpg": write what the picture shows, e.g. ![a person stretching a calf against a wall](…)',
    ],
    [
      'alt-too-long.html',
      'a11y-image-alt',
      'image https://news.example.org/calf.png has alt text of 156 characters ("A person in a blue T-shirt and grey trousers stands an ar…"); keep it under 125 and put the rest in the text around it',
    ],
    [
      'alt-on-decorative.html',
      'a11y-image-alt',
      'image https://news.example.org/rule.png is marked decorative (role="presentation") but has alt text "A thin grey line": set alt="" or, if it says something, drop the decorative marking',
    ],
    [
      'no-lang-dir.html',
      'a11y-lang',
      `the root <html> has no dir attribute: ${LANG_FIX}`,
      `the content wrapper <div role="article"> has no lang attribute (screen readers guess the language): ${LANG_FIX}`,
      `the content wrapper <div role="article"> has no dir attribute: ${LANG_FIX}`,
    ],
    [
      'small-text.html',
      'a11y-text-size',
      '<div> "You subscribed to Night Cramp Weekly." is 12px: body text needs at least 14px; raise its font-size (on its mj-text in the template)',
      '<a> "Unsubscribe" is 12px: body text needs at least 14px; raise its font-size (on its mj-text in the template)',
    ],
    [
      'tight-lines.html',
      'a11y-line-height',
      '<p> "Read more about it on ." has a line height of 1.2: body text needs at least 1.4; set line-height="1.5" (on its mj-text in the template)',
      '<a> "NHS: leg cramps" has a line height of 1.2: body text needs at least 1.4; set line-height="1.5" (on its mj-text in the template)',
      '<li> "Stand an arm\'s length from a wall." has a line height of 1.2: body text needs at least 1.4; set line-height="1.5" (on its mj-text in the template)',
    ],
    [
      'low-contrast-light.html',
      'a11y-contrast',
      'light scheme: <li> "Stand an arm\'s length from a wall." is #9aa5b1 on #ffffff, contrast 2.5:1, below 4.5:1: use a darker text colour or a lighter background',
    ],
    [
      'low-contrast-dark.html',
      'a11y-contrast',
      `dark scheme: <div> "You subscribed to Night Cramp Weekly." is #3a4654 on #0f1419, contrast 1.92:1, below 4.5:1: ${DARK_FIX}`,
      `dark scheme: <a> "Unsubscribe" is #3a4654 on #0f1419, contrast 1.92:1, below 4.5:1: ${DARK_FIX}`,
    ],
  ])('%s: %s names the element and what to do', (file, check, ...messages) => {
    expect(accessibilityFindings(fixture(file))).toEqual(messages.map((message) => ({ check, message })));
  });

  it('makes errors for a sent email and warnings for a draft, at the file, with the label', () => {
    const html = fixture('skipped-heading.html');
    const sent = accessibilityProblems(html, { severity: 'error', file: 'content/tips/13-x.md', label: 'week 13' });
    expect(sent).toEqual([
      {
        severity: 'error',
        check: 'a11y-headings',
        file: 'content/tips/13-x.md',
        message:
          'week 13: heading "How to do it" is an h3 but follows an h1: a level is skipped; make it an h2 (## in Markdown)',
      },
    ]);
    expect(accessibilityProblems(html, { severity: 'warning' }).map((p) => p.severity)).toEqual(['warning']);
  });
});

/** A bare email around some body HTML, with one style sheet. */
const email = (css: string, body: string) =>
  `<!doctype html><html lang="en" dir="ltr"><head><meta name="color-scheme" content="light dark"><style>${css}</style></head><body><div role="article" lang="en" dir="ltr">${body}</div></body></html>`;
const contrast = (html: string) =>
  accessibilityFindings(html)
    .filter((f) => f.check === 'a11y-contrast')
    .map((f) => f.message.replace(/: (use|in the).*$/, ''));

describe('the colours a client paints, worked out from the CSS', () => {
  it('lets a dark-scheme !important rule beat an inline style, and only in the dark scheme', () => {
    const body = '<div class="x"><p style="color:#222222;font-size:16px;line-height:1.5;">Hello</p></div>';
    const dark = (important: string) =>
      email(
        `@media (prefers-color-scheme: dark) { .x p { color: #eeeeee${important}; } body { background: #111111 !important; } }`,
        body,
      );
    // Light: the inline #222 on the white page. Dark: the rule's #eee on #111, but only with !important.
    expect(contrast(dark(' !important'))).toEqual([]);
    expect(contrast(dark(''))).toEqual([
      'dark scheme: <p> "Hello" is #222222 on #111111, contrast 1.18:1, below 4.5:1',
    ]);
  });

  it('lets an inline style beat a rule, unless the rule is !important; a more specific rule beats a less specific one', () => {
    const css = '.card p { color: #dddddd; } p { color: #000000; } .card .grey { color: #eeeeee !important; }';
    const body =
      '<div class="card" style="background:#ffffff;font-size:16px;line-height:1.5;"><p>Rule</p><p style="color:#111111;">Inline</p><p class="grey" style="color:#111111;">Important</p></div>';
    expect(contrast(email(css, body))).toEqual([
      'light scheme: <p> "Rule" is #dddddd on #ffffff, contrast 1.35:1, below 4.5:1',
      'dark scheme: <p> "Rule" is #dddddd on #ffffff, contrast 1.35:1, below 4.5:1',
      'light scheme: <p> "Important" is #eeeeee on #ffffff, contrast 1.16:1, below 4.5:1',
      'dark scheme: <p> "Important" is #eeeeee on #ffffff, contrast 1.16:1, below 4.5:1',
    ]);
  });

  it('takes the background from bgcolor and from the background shorthand, painting translucent colours over what is behind', () => {
    const body =
      '<table bgcolor="#000000"><tr><td style="font-size:16px;line-height:1.5;color:#777777;">On black</td></tr></table>' +
      '<div style="background:url(x.png) rgba(255,255,255,0.5) no-repeat;"><p style="color:#ffffff;font-size:16px;line-height:1.5;">White</p></div>';
    // #777 on the table's black passes (4.68:1); half-white over the client's page: white (light), #898989 (dark).
    expect(contrast(email('', body))).toEqual([
      'light scheme: <p> "White" is #ffffff on #ffffff, contrast 1:1, below 4.5:1',
      'dark scheme: <p> "White" is #ffffff on #898989, contrast 3.49:1, below 4.5:1',
    ]);
  });

  it('holds large text (24px, or 18.66px bold) to 3:1 and exempts headings from the body-text size', () => {
    const body =
      '<div style="background:#ffffff;color:#888888;line-height:1.5;"><p style="font-size:24px;">Large</p><p style="font-size:19px;font-weight:700;">Bold</p><h1 style="font-size:12px;line-height:1.1;color:#000000;">Small heading</h1><p style="font-size:16px;">Small</p></div>';
    const found = accessibilityFindings(email('', body));
    // 24px, and 19px bold, pass at 3.54:1; 16px does not. No page colour is set: light and dark alike.
    expect(found.map((f) => f.message.replace(/: (use|in the).*$/, ''))).toEqual([
      'light scheme: <p> "Small" is #888888 on #ffffff, contrast 3.54:1, below 4.5:1',
      'dark scheme: <p> "Small" is #888888 on #ffffff, contrast 3.54:1, below 4.5:1',
    ]);
  });
});
