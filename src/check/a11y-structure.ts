import type { Element } from 'domhandler';
import { findAll, getAttributeValue, textContent } from 'domutils';
import type { A11yFinding } from './a11y-finding.ts';
import { quote } from './a11y-finding.ts';

/**
 * What a screen reader meets first in an email: its language and direction, its outline of
 * headings, the words of each link and each image's alt text. Each finding names the element.
 */

/** `lang` and `dir` on `<html>` and on the content wrapper (MJML's `<div role="article">`). */
export function languageFindings(root: Element | undefined, wrapper: Element | undefined): A11yFinding[] {
  const out: A11yFinding[] = [];
  const fix = 'set it on the <mjml> tag of templates/layout.mjml.hbs (e.g. <mjml lang="en-US" dir="ltr">)';
  const where: [string, Element | undefined][] = [
    ['the root <html>', root],
    ['the content wrapper <div role="article">', wrapper],
  ];
  for (const [name, el] of where) {
    if (!el) {
      out.push({
        check: 'a11y-lang',
        message: `${name} is missing, so no language or direction reaches screen readers: ${fix}`,
      });
      continue;
    }
    if (!getAttributeValue(el, 'lang')?.trim())
      out.push({
        check: 'a11y-lang',
        message: `${name} has no lang attribute (screen readers guess the language): ${fix}`,
      });
    const dir = getAttributeValue(el, 'dir')?.trim().toLowerCase();
    if (!dir) out.push({ check: 'a11y-lang', message: `${name} has no dir attribute: ${fix}` });
    else if (!['ltr', 'rtl', 'auto'].includes(dir))
      out.push({ check: 'a11y-lang', message: `${name} has dir="${dir}"; use ltr, rtl or auto: ${fix}` });
  }
  const [a, b] = [root, wrapper].map((e) => (e ? getAttributeValue(e, 'lang')?.trim().toLowerCase() : undefined));
  if (a && b && a !== b)
    out.push({
      check: 'a11y-lang',
      message: `the root says lang="${a}" but the content wrapper says lang="${b}": give both the series' language`,
    });
  return out;
}

/** One `h1`, and no level skipped on the way down (h1 → h3 leaves a screen reader's outline with a hole). */
export function headingFindings(headings: Element[]): A11yFinding[] {
  const out: A11yFinding[] = [];
  const level = (h: Element) => Number(h.name.slice(1));
  const h1s = headings.filter((h) => level(h) === 1);
  if (h1s.length > 1)
    out.push({
      check: 'a11y-headings',
      message: `${h1s.length} h1 headings (${h1s.map((h) => quote(textContent(h))).join(', ')}): keep one h1, the title; make the others ## sections`,
    });
  let previous = 0;
  for (const h of headings) {
    const l = level(h);
    if (l > previous + 1) {
      const after = previous ? `follows an h${previous}` : 'is the first heading';
      out.push({
        check: 'a11y-headings',
        message: `heading ${quote(textContent(h))} is an h${l} but ${after}: a level is skipped; make it an h${previous + 1}${previous + 1 === 2 ? ' (## in Markdown)' : previous + 1 === 3 ? ' (### in Markdown)' : ''}`,
      });
    }
    previous = l;
  }
  return out;
}

/** Words that say nothing on their own when a screen reader lists the links of an email. */
const VAGUE = new Set([
  'click here',
  'click',
  'here',
  'read more',
  'more',
  'learn more',
  'more info',
  'link',
  'this link',
  'this',
  'go',
  'continue',
  'details',
]);

/** The words a screen reader says for a link: aria-label, else its text, else its images' alt. */
export function linkName(a: Element): string {
  const label = getAttributeValue(a, 'aria-label')?.trim();
  if (label) return label;
  const text = textContent(a).replace(/\s+/g, ' ').trim();
  if (text) return text;
  return findAll((e) => e.name === 'img', a.children)
    .map((img) => getAttributeValue(img, 'alt') ?? '')
    .join(' ')
    .trim();
}

const looksLikeUrl = (s: string) =>
  /^(https?:\/\/|mailto:|www\.)\S+$/i.test(s) || /^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(\/\S*)?$/i.test(s);

/** Each link's words must say where it goes, also the template's own (unsubscribe, preferences). */
export function linkFindings(links: Element[]): A11yFinding[] {
  const out: A11yFinding[] = [];
  for (const a of links) {
    const href = getAttributeValue(a, 'href') ?? '';
    const name = linkName(a);
    const bare = name
      .toLowerCase()
      .replace(/^[\s.,:;!?…»›>→-]+|[\s.,:;!?…»›>→-]+$/g, '')
      .trim();
    const to = href ? ` (to ${shorten(href)})` : '';
    if (!bare)
      out.push({
        check: 'a11y-link-text',
        message: `a link${to} has no words a screen reader can say: give it text that says where it goes`,
      });
    else if (VAGUE.has(bare))
      out.push({
        check: 'a11y-link-text',
        message: `link text ${quote(name)}${to} says nothing on its own: name where it goes, e.g. [NHS: leg cramps](https://…)`,
      });
    else if (looksLikeUrl(bare))
      out.push({
        check: 'a11y-link-text',
        message: `link text ${quote(name)} is a bare address (screen readers spell it out): write what the page is, e.g. [NHS: leg cramps](${shorten(href || name)})`,
      });
  }
  return out;
}

export const ALT_MAX = 125;
const FILE_NAME = /^[^\s/]+\.(png|jpe?g|gif|webp|svg|bmp|avif|tiff?|heic)$/i;
const CAMERA_NAME = /^(img|image|dsc|dscn|pxl|photo|screenshot|screen shot)[\s_-]?\d/i;

/** Alt text that describes the picture: not a file name, not an essay, none on a decorative image. */
export function imageFindings(images: Element[]): A11yFinding[] {
  const out: A11yFinding[] = [];
  for (const img of images) {
    const src = getAttributeValue(img, 'src') ?? '';
    const alt = getAttributeValue(img, 'alt');
    if (alt === undefined) continue; // The email checks already report a missing alt.
    const text = alt.trim();
    const role = getAttributeValue(img, 'role')?.trim().toLowerCase();
    const decorative = role === 'presentation' || role === 'none' || ariaHidden(img);
    if (decorative && text) {
      out.push({
        check: 'a11y-image-alt',
        message: `image ${shorten(src)} is marked decorative (${role ? `role="${role}"` : 'aria-hidden'}) but has alt text ${quote(text)}: set alt="" or, if it says something, drop the decorative marking`,
      });
      continue;
    }
    const fileName = src.split(/[?#]/)[0]!.split('/').pop() ?? '';
    if (FILE_NAME.test(text) || CAMERA_NAME.test(text) || (fileName && text.toLowerCase() === fileName.toLowerCase()))
      out.push({
        check: 'a11y-image-alt',
        message: `image ${shorten(src)} has a file name as alt text ${quote(text)}: write what the picture shows, e.g. ![a person stretching a calf against a wall](…)`,
      });
    else if ([...text].length > ALT_MAX)
      out.push({
        check: 'a11y-image-alt',
        message: `image ${shorten(src)} has alt text of ${[...text].length} characters (${quote(text)}); keep it under ${ALT_MAX} and put the rest in the text around it`,
      });
  }
  return out;
}

function ariaHidden(el: Element): boolean {
  for (let e: Element | null = el; e; e = e.parent?.type === 'tag' ? (e.parent as Element) : null)
    if (getAttributeValue(e, 'aria-hidden') === 'true') return true;
  return false;
}

function shorten(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
