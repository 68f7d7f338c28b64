import type { Problem } from '../problems.ts';
import { expandBody, type RedFlags } from './red-flags.ts';

/** Expands one body (a tip's or a page's): what readers get, and the problems at their lines. */
export type BodyExpander = (
  markdown: string,
  file: string,
  bodyLine: number,
) => {
  markdown: string;
  problems: Problem[];
  /** `{{emergency}}` in a one-line field (a tip's `tonight`). */
  inline: (text: string) => string;
};

/** The expander for a series: its checklist (from help.md) and its emergency number. */
export function bodyExpander(
  flags: RedFlags | undefined,
  emergency: string,
  options: { stripMarkers?: boolean } = {},
): BodyExpander {
  return (markdown, file, bodyLine) => ({
    ...expandBody(markdown, { file, bodyLine, flags, emergency, ...options }),
    inline: (text) => text.replace(/\{\{\s*emergency\s*\}\}/g, emergency),
  });
}
