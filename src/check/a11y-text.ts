import type { Element } from 'domhandler';
import { contrastRatio } from '../content/colour.ts';
import type { A11yFinding } from './a11y-finding.ts';
import { quote } from './a11y-finding.ts';
import { toHex } from './css-colour.ts';
import { schemes, type EmailStyles, type Scheme } from './computed-style.ts';

/** Body text at least this size in px. */
export const MIN_FONT_PX = 14;
/** Body text's line height, as a multiple of its size. */
export const MIN_LINE_HEIGHT = 1.4;
/** WCAG 2 AA: normal text, and large text (24px, or 18.66px = 14pt bold). */
export const MIN_CONTRAST = 4.5;
export const MIN_CONTRAST_LARGE = 3;

const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** A tiny margin so 1.4 written as 1.4 is not failed by floating point. */
const EPSILON = 1e-6;

/** The element's own words (its text nodes, not its children's). */
export function ownText(el: Element): string {
  return el.children
    .filter((n) => n.type === 'text')
    .map((n) => (n as unknown as { data: string }).data)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function within(el: Element, test: (e: Element) => boolean): boolean {
  for (let e: Element | null = el; e; e = e.parent?.type === 'tag' ? (e.parent as Element) : null)
    if (test(e)) return true;
  return false;
}

/**
 * Size, line height and contrast of every piece of text a reader sees, in the light and the dark
 * scheme. Headings and large text are exempt from the body-text rules and need 3:1, not 4.5:1;
 * a button's one-line label is exempt from the line height (it never wraps into a paragraph).
 */
export function textFindings(elements: Element[], styles: EmailStyles): A11yFinding[] {
  const out: A11yFinding[] = [];
  for (const el of elements) {
    const words = ownText(el);
    if (!words) continue;
    const light = styles.text(el, 'light');
    if (light.hidden) continue;
    const name = `<${el.name}> ${quote(words)}`;
    const heading = within(el, (e) => HEADINGS.has(e.name));
    const large = light.fontSize >= 24 - EPSILON || (light.weight >= 700 && light.fontSize >= 18.66 - EPSILON);
    const button = within(el, (e) => e.name === 'a' && styles.hasOwnBackground(e, 'light'));
    if (!heading && light.fontSize < MIN_FONT_PX - EPSILON)
      out.push({
        check: 'a11y-text-size',
        message: `${name} is ${round(light.fontSize)}px: body text needs at least ${MIN_FONT_PX}px; raise its font-size (on its mj-text in the template)`,
      });
    if (!heading && !large && !button && light.lineHeight < MIN_LINE_HEIGHT - EPSILON)
      out.push({
        check: 'a11y-line-height',
        message: `${name} has a line height of ${round(light.lineHeight)}: body text needs at least ${MIN_LINE_HEIGHT}; set line-height="1.5" (on its mj-text in the template)`,
      });
    for (const scheme of schemes) out.push(...contrastFinding(el, name, scheme, styles));
  }
  return out;
}

/** One text on its background in one scheme, as the contrast check measures it. */
export interface MeasuredText {
  scheme: Scheme;
  element: string;
  /** The element's own words. */
  text: string;
  fg: string;
  bg: string;
  ratio: number;
  large: boolean;
  /** Font size in px and line height as a multiple of it, as the body-text rules read them. */
  fontSize: number;
  lineHeight: number;
}

/** The colour pair of one element's text in one scheme. */
export function measure(el: Element, scheme: Scheme, styles: EmailStyles): MeasuredText {
  const s = styles.text(el, scheme);
  const [fg, bg] = [toHex(s.colour), toHex(s.background)];
  return {
    scheme,
    element: el.name,
    text: ownText(el),
    fg,
    bg,
    ratio: contrastRatio(fg, bg),
    large: s.fontSize >= 24 - EPSILON || (s.weight >= 700 && s.fontSize >= 18.66 - EPSILON),
    fontSize: s.fontSize,
    lineHeight: s.lineHeight,
  };
}

function contrastFinding(el: Element, name: string, scheme: Scheme, styles: EmailStyles): A11yFinding[] {
  const { fg, bg, ratio, large } = measure(el, scheme, styles);
  const need = large ? MIN_CONTRAST_LARGE : MIN_CONTRAST;
  if (ratio >= need - EPSILON) return [];
  const fix =
    scheme === 'light'
      ? 'use a darker text colour or a lighter background'
      : 'in the dark-scheme CSS (@media (prefers-color-scheme: dark) in templates/layout.mjml.hbs) use a lighter text colour or a darker background';
  return [
    {
      check: 'a11y-contrast',
      message: `${scheme} scheme: ${name} is ${fg} on ${bg}, contrast ${Math.floor(ratio * 100) / 100}:1, below ${need}:1${large ? ' (large text)' : ''}: ${fix}`,
    },
  ];
}

const round = (n: number) => Math.round(n * 100) / 100;
