/** One accessibility finding in a rendered email, before it gets a severity, a file and a label. */
export interface A11yFinding {
  /** `a11y-headings`, `a11y-link-text`, `a11y-image-alt`, `a11y-lang`, `a11y-text-size`, `a11y-line-height`, `a11y-contrast`. */
  check: string;
  message: string;
}

/** Text quoted for a message: whitespace collapsed, cut at 60 characters. */
export function quote(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return `"${t.length > 60 ? `${t.slice(0, 57)}…` : t}"`;
}
