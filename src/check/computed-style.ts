import postcss, { type AtRule, type ChildNode, type Container, type Node } from 'postcss';
import { compile } from 'css-select';
import type { AnyNode, Document, Element } from 'domhandler';
import { findAll, getAttributeValue, textContent } from 'domutils';
import { colourInShorthand, over, parseColour, type Rgba } from './css-colour.ts';

/**
 * The styles a reader's client gives each element of a rendered email, worked out statically:
 * the `<style>` rules of the head (those inside `@media (prefers-color-scheme: dark)` only in the
 * dark scheme), the inline `style` attributes, `bgcolor`, `!important` and specificity, and the
 * inheritance of colour, size, line height and weight. Enough for the CSS MJML and our templates
 * write; a browser (tests/render/renderer.dark-mode.browser.test.ts) confirms the result.
 */
export type Scheme = 'light' | 'dark';
export const schemes: readonly Scheme[] = ['light', 'dark'];

/** What the accessibility checks need of one element in one scheme. */
export interface TextStyle {
  /** Text colour, painted over `background`. */
  colour: Rgba;
  /** The opaque background behind the element (its own or the first one up the tree). */
  background: Rgba;
  /** Font size in px. */
  fontSize: number;
  /** Line height as a multiple of the font size. */
  lineHeight: number;
  weight: number;
  /** Not shown to a sighted reader (the preheader, display:none, zero size). */
  hidden: boolean;
}

interface Declaration {
  value: string;
  /** Cascade rank: !important, then inline, then specificity, then source order. */
  rank: number;
}

interface StyleRule {
  matches: (el: Element) => boolean;
  specificity: number;
  order: number;
  dark: boolean;
  declarations: { prop: string; value: string; important: boolean }[];
}

/** Raw values per property, the winner of the cascade for one element. */
type Declared = Map<string, Declaration>;

interface Computed {
  colour: Rgba;
  fontSize: number;
  lineHeight: { factor: number } | { px: number };
  weight: number;
  hidden: boolean;
  ownBackground: Rgba | null;
}

const BOLD_TAGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'b', 'th']);
const UA_SIZE: Record<string, number> = {
  h1: 2,
  h2: 1.5,
  h3: 1.17,
  h5: 0.83,
  h6: 0.67,
  small: 0.83,
  sub: 0.83,
  sup: 0.83,
};
const KEYWORD_SIZE: Record<string, number> = { 'x-small': 10, small: 13, medium: 16, large: 18, 'x-large': 24 };

export class EmailStyles {
  private readonly rules: StyleRule[];
  private readonly matched = new Map<Element, StyleRule[]>();
  private readonly computed: Record<Scheme, Map<Element, Computed>> = { light: new Map(), dark: new Map() };
  /** The client's own page and text colours when the email leaves them unset. */
  private readonly canvas: Record<Scheme, { page: Rgba; text: Rgba; link: Rgba }>;

  constructor(doc: Document) {
    const sheets = findAll((e) => e.name === 'style', doc.children).map((e) => textContent(e));
    this.rules = parseRules(sheets);
    // With `color-scheme: light dark` declared, a client in dark mode draws a dark page with light text.
    const darkAware =
      findAll(
        (e) =>
          e.name === 'meta' &&
          /color-scheme/i.test(getAttributeValue(e, 'name') ?? '') &&
          /dark/i.test(getAttributeValue(e, 'content') ?? ''),
        doc.children,
      ).length > 0 || sheets.some((s) => /color-scheme\s*:[^;}]*dark/i.test(s));
    const light = { page: rgb('#ffffff'), text: rgb('#000000'), link: rgb('#0000ee') };
    this.canvas = {
      light,
      dark: darkAware ? { page: rgb('#121212'), text: rgb('#ffffff'), link: rgb('#9e9eff') } : light,
    };
  }

  /** The element's text style in one scheme. */
  text(el: Element, scheme: Scheme): TextStyle {
    const c = this.compute(el, scheme);
    const background = this.backgroundBehind(el, scheme);
    const lineHeight = 'factor' in c.lineHeight ? c.lineHeight.factor : c.lineHeight.px / (c.fontSize || 1);
    return {
      colour: c.colour.a < 1 ? over(c.colour, background) : c.colour,
      background,
      fontSize: c.fontSize,
      lineHeight,
      weight: c.weight,
      hidden: c.hidden || c.fontSize === 0,
    };
  }

  /** Whether the element paints a background of its own (a button's link, a callout). */
  hasOwnBackground(el: Element, scheme: Scheme): boolean {
    const own = this.compute(el, scheme).ownBackground;
    return !!own && own.a > 0;
  }

  /** The first opaque background from the element up, with translucent ones painted over it. */
  private backgroundBehind(el: Element, scheme: Scheme): Rgba {
    const layers: Rgba[] = [];
    for (let e: Element | null = el; e; e = parentElement(e)) {
      const own = this.compute(e, scheme).ownBackground;
      if (!own || own.a === 0) continue;
      layers.push(own);
      if (own.a >= 1) break;
    }
    let result = this.canvas[scheme].page;
    for (const layer of layers.reverse()) result = layer.a >= 1 ? layer : over(layer, result);
    return result;
  }

  private compute(el: Element, scheme: Scheme): Computed {
    const memo = this.computed[scheme].get(el);
    if (memo) return memo;
    const parent = parentElement(el);
    const inherited: Computed = parent
      ? this.compute(parent, scheme)
      : {
          colour: this.canvas[scheme].text,
          fontSize: 16,
          lineHeight: { factor: 1.2 },
          weight: 400,
          hidden: false,
          ownBackground: null,
        };
    const d = this.declared(el, scheme);
    const value = (prop: string) => d.get(prop)?.value.trim().toLowerCase();
    const size = value('font-size');
    const fontSize =
      (size ? parseFontSize(size, inherited.fontSize) : null) ?? inherited.fontSize * (UA_SIZE[el.name] ?? 1);
    const lh = value('line-height');
    const col = value('color');
    const computed: Computed = {
      colour:
        (col && col !== 'inherit' && parseColour(col)) ||
        (el.name === 'a' ? this.canvas[scheme].link : inherited.colour),
      fontSize,
      lineHeight: (lh && parseLineHeight(lh, fontSize)) || inherited.lineHeight,
      weight: fontWeight(value('font-weight'), BOLD_TAGS.has(el.name) ? 700 : inherited.weight),
      hidden: inherited.hidden || hiddenHere(el, value),
      ownBackground: ownBackground(el, d),
    };
    this.computed[scheme].set(el, computed);
    return computed;
  }

  /** The rules whose selectors match the element, found once for both schemes. */
  private matching(el: Element): StyleRule[] {
    let found = this.matched.get(el);
    if (!found) {
      found = this.rules.filter((rule) => rule.matches(el));
      this.matched.set(el, found);
    }
    return found;
  }

  /** The cascade's winning value of each property for one element. */
  private declared(el: Element, scheme: Scheme): Declared {
    const out: Declared = new Map();
    const offer = (prop: string, value: string, rank: number) => {
      const had = out.get(prop);
      if (!had || rank >= had.rank) out.set(prop, { value, rank });
    };
    for (const rule of this.matching(el)) {
      if (rule.dark && scheme !== 'dark') continue;
      for (const { prop, value, important } of rule.declarations)
        offer(prop, value, rank(important, false, rule.specificity, rule.order));
    }
    for (const { prop, value, important } of inlineDeclarations(getAttributeValue(el, 'style')))
      offer(prop, value, rank(important, true, 0, 0));
    return out;
  }
}

function fontWeight(w: string | undefined, fallback: number): number {
  if (!w) return fallback;
  if (w === 'bold' || w === 'bolder') return 700;
  if (w === 'normal' || w === 'lighter') return 400;
  return Number(w) || fallback;
}

/** Hidden by this element itself: the preheader's display:none, a zero-height box, `hidden`. */
function hiddenHere(el: Element, value: (prop: string) => string | undefined): boolean {
  return (
    getAttributeValue(el, 'hidden') !== undefined ||
    value('display') === 'none' ||
    value('visibility') === 'hidden' ||
    value('opacity') === '0' ||
    (/^0(px)?$/.test(value('max-height') ?? '') && value('overflow') === 'hidden')
  );
}

/** !important beats inline beats specificity beats order: packed into one comparable number. */
function rank(important: boolean, inline: boolean, specificity: number, order: number): number {
  return (important ? 2 : 0) * 1e12 + (inline ? 1 : 0) * 1e12 + specificity * 1e5 + order;
}

/** An element's own background: `background` or `background-color`, whichever wins; else `bgcolor`. */
function ownBackground(el: Element, d: Declared): Rgba | null {
  const shorthand = d.get('background');
  const longhand = d.get('background-color');
  const winner = shorthand && (!longhand || shorthand.rank > longhand.rank) ? shorthand : longhand;
  if (winner) {
    const c = winner === shorthand ? colourInShorthand(winner.value) : parseColour(winner.value);
    if (c) return c;
  }
  const attribute = getAttributeValue(el, 'bgcolor');
  return attribute ? parseColour(attribute) : null;
}

function parseFontSize(value: string, parent: number): number | null {
  if (KEYWORD_SIZE[value] !== undefined) return KEYWORD_SIZE[value]!;
  if (value === 'smaller') return parent / 1.2;
  if (value === 'larger') return parent * 1.2;
  const m = /^(-?[\d.]+)(px|pt|em|rem|%)?$/.exec(value);
  if (!m) return null;
  const n = parseFloat(m[1]!);
  switch (m[2]) {
    case 'pt':
      return (n * 4) / 3;
    case 'em':
      return n * parent;
    case 'rem':
      return n * 16;
    case '%':
      return (n * parent) / 100;
    default:
      return n;
  }
}

/** A unitless line height is inherited as a factor; px, em and % are fixed here, in px. */
function parseLineHeight(value: string, fontSize: number): Computed['lineHeight'] | null {
  if (value === 'normal') return { factor: 1.2 };
  const m = /^([\d.]+)(px|pt|em|rem|%)?$/.exec(value);
  if (!m) return null;
  const n = parseFloat(m[1]!);
  if (!m[2]) return { factor: n };
  return { px: parseFontSize(value, fontSize) ?? n };
}

function parentElement(el: Element): Element | null {
  const p = el.parent;
  return p && p.type === 'tag' ? (p as Element) : null;
}

const rgb = (hex: string) => parseColour(hex)!;

/** MJML repeats the same few inline styles on hundreds of elements: each is parsed once. */
const inlineCache = new Map<string, StyleRule['declarations']>();
const INLINE_CACHE_MAX = 2000;

function inlineDeclarations(style: string | undefined): StyleRule['declarations'] {
  if (!style?.trim()) return [];
  const cached = inlineCache.get(style);
  if (cached) return cached;
  let parsed: StyleRule['declarations'];
  try {
    parsed = declarationsOf(postcss.parse(`x{${style}}`).nodes[0] as Container);
  } catch {
    parsed = [];
  }
  if (inlineCache.size >= INLINE_CACHE_MAX) inlineCache.clear();
  inlineCache.set(style, parsed);
  return parsed;
}

function declarationsOf(container: Container): StyleRule['declarations'] {
  const out: StyleRule['declarations'] = [];
  container.each((n: ChildNode) => {
    if (n.type === 'decl') out.push({ prop: n.prop.toLowerCase(), value: n.value, important: n.important === true });
  });
  return out;
}

/** Every email of a series shares its layout's style sheets: they are parsed and compiled once. */
const sheetCache = new Map<string, StyleRule[]>();

function parseRules(sheets: string[]): StyleRule[] {
  const key = sheets.join('\n/* next sheet */\n');
  const cached = sheetCache.get(key);
  if (cached) return cached;
  const rules = parseSheets(sheets);
  if (sheetCache.size >= 20) sheetCache.clear();
  sheetCache.set(key, rules);
  return rules;
}

/** Every rule of the style sheets that applies on screen, each selector on its own. */
function parseSheets(sheets: string[]): StyleRule[] {
  const rules: StyleRule[] = [];
  let order = 0;
  for (const sheet of sheets) {
    let root;
    try {
      root = postcss.parse(sheet);
    } catch {
      continue; // A sheet no client could read either.
    }
    root.walkRules((rule) => {
      const media = enclosingMedia(rule);
      // Other media queries here only size columns for wide screens; they change no colour or text.
      if (media !== null && !/prefers-color-scheme\s*:\s*dark/i.test(media)) return;
      const declarations = declarationsOf(rule);
      for (const selector of rule.selectors) {
        let matches: (el: Element) => boolean;
        try {
          matches = compile<AnyNode, Element>(selector);
        } catch {
          continue; // :hover and other states: the checks measure text at rest.
        }
        rules.push({ matches, specificity: specificity(selector), order: order++, dark: media !== null, declarations });
      }
    });
  }
  return rules;
}

function enclosingMedia(node: ChildNode): string | null {
  for (
    let p: Node | undefined = node.parent as Node | undefined;
    p && p.type !== 'root';
    p = p.parent as Node | undefined
  ) {
    if (p.type === 'atrule' && (p as AtRule).name.toLowerCase() === 'media') return (p as AtRule).params;
  }
  return null;
}

/** CSS specificity as one number (ids, then classes/attributes/pseudo-classes, then types). */
export function specificity(selector: string): number {
  const noAttrs = selector.replace(/\[[^\]]*\]/g, ' [] ');
  const ids = (noAttrs.match(/#[\w-]+/g) ?? []).length;
  const classes = (noAttrs.match(/\.[\w-]+|\[\]|:(?!:)[\w-]+/g) ?? []).length;
  const types = (noAttrs.replace(/[#.:]+[\w-]+/g, ' ').match(/(?:^|[\s>+~(])[a-z][\w-]*/gi) ?? []).length;
  return ids * 10000 + classes * 100 + types;
}
