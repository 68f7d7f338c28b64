/** A colour as red, green, blue (0-255) and alpha (0-1). */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** The CSS basic colours and `transparent`: what an editor or a template is likely to write by name. */
const NAMED: Record<string, string> = {
  black: '#000000',
  silver: '#c0c0c0',
  gray: '#808080',
  grey: '#808080',
  white: '#ffffff',
  maroon: '#800000',
  red: '#ff0000',
  purple: '#800080',
  fuchsia: '#ff00ff',
  green: '#008000',
  lime: '#00ff00',
  olive: '#808000',
  yellow: '#ffff00',
  navy: '#000080',
  blue: '#0000ff',
  teal: '#008080',
  aqua: '#00ffff',
  orange: '#ffa500',
  lightgray: '#d3d3d3',
  lightgrey: '#d3d3d3',
  darkgray: '#a9a9a9',
  darkgrey: '#a9a9a9',
};

/** Parses `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()` and the names above; else null. */
export function parseColour(value: string): Rgba | null {
  const v = value.trim().toLowerCase();
  if (v === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const hex = NAMED[v] ?? v;
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])([0-9a-f])?$/.exec(hex);
  if (short) {
    const [r, g, b] = [short[1]!, short[2]!, short[3]!].map((c) => parseInt(c + c, 16)) as [number, number, number];
    return { r, g, b, a: short[4] ? parseInt(short[4] + short[4], 16) / 255 : 1 };
  }
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})?$/.exec(hex);
  if (long) {
    const [r, g, b] = [long[1]!, long[2]!, long[3]!].map((c) => parseInt(c, 16)) as [number, number, number];
    return { r, g, b, a: long[4] ? parseInt(long[4], 16) / 255 : 1 };
  }
  const fn = /^rgba?\(\s*([\d.]+%?)[\s,]+([\d.]+%?)[\s,]+([\d.]+%?)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/.exec(v);
  if (fn) {
    const channel = (s: string) => (s.endsWith('%') ? (parseFloat(s) * 255) / 100 : parseFloat(s));
    const alpha = fn[4] === undefined ? 1 : fn[4].endsWith('%') ? parseFloat(fn[4]) / 100 : parseFloat(fn[4]);
    return { r: channel(fn[1]!), g: channel(fn[2]!), b: channel(fn[3]!), a: Math.min(1, alpha) };
  }
  return null;
}

/** The first colour among the words of a `background` shorthand (`#fff url(x) no-repeat`). */
export function colourInShorthand(value: string): Rgba | null {
  for (const word of value.replace(/url\([^)]*\)/gi, ' ').match(/rgba?\([^)]*\)|[^\s,]+/gi) ?? []) {
    const c = parseColour(word);
    if (c) return c;
  }
  return null;
}

/** `top` painted over `below` (which is opaque). */
export function over(top: Rgba, below: Rgba): Rgba {
  const mix = (t: number, b: number) => Math.round(t * top.a + b * (1 - top.a));
  return { r: mix(top.r, below.r), g: mix(top.g, below.g), b: mix(top.b, below.b), a: 1 };
}

/** `#rrggbb` of an opaque colour, as the messages and `contrastRatio` use it. */
export function toHex({ r, g, b }: Rgba): string {
  return `#${[r, g, b].map((c) => Math.round(c).toString(16).padStart(2, '0')).join('')}`;
}
