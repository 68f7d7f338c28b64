/** One piece of text on a page, its colour, the background behind it, and their WCAG 2 contrast ratio. */
export interface Finding {
  text: string;
  ratio: number;
  fg: string;
  bg: string;
}

/**
 * Runs in the page: every visible element with its own text, its colour, and the first opaque
 * background behind it (walking up), with the WCAG 2 contrast ratio of the two.
 */
export function contrastOfEveryText(): { body: number[]; findings: Finding[] } {
  const parse = (c: string): number[] => (c.match(/[\d.]+/g) ?? []).map(Number);
  const lum = ([r, g, b]: number[]) => {
    const ch = [r!, g!, b!].map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * ch[0]! + 0.7152 * ch[1]! + 0.0722 * ch[2]!;
  };
  const background = (el: Element | null): number[] => {
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3]! > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const findings: Finding[] = [];
  for (const el of Array.from(document.body.querySelectorAll('*'))) {
    const own = Array.from(el.childNodes)
      .filter((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())
      .map((n) => n.textContent!.trim())
      .join(' ');
    if (!own) continue;
    const rect = el.getBoundingClientRect();
    if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) || rect.width === 0 || rect.height === 0)
      continue;
    const fg = parse(getComputedStyle(el).color);
    const bg = background(el);
    const [a, b] = [lum(fg), lum(bg)];
    findings.push({
      text: own.slice(0, 60),
      ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
      fg: getComputedStyle(el).color,
      bg: `rgb(${bg.join(', ')})`,
    });
  }
  return { body: background(document.querySelector('[role=article]') ?? document.body), findings };
}
