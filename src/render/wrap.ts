// No imports: the renderer fills every reader through this, and must not load html-to-text to do it.

/** The text part's line width: RFC 5322 asks for at most 78 characters; 76 leaves room for quoting. */
export const TEXT_WIDTH = 76;

/** A link, or the placeholder of a per-reader link filled in later (its real length is unknown, and long). */
const LINK = /(https?:\/\/|mailto:|%%ncw:[a-zA-Z]+Url%%)/;

/**
 * Wraps every line of a text part at `width`, as html-to-text wraps the body: the title, the
 * tonight box, the sources and the footer too. A list item's continuation lines are indented
 * under its text. A link is never broken and never shares a line that it would push past the
 * width (a per-reader link's placeholder counts as long), so every line but a bare link fits.
 */
export function wrapText(text: string, width = TEXT_WIDTH): string {
  return text
    .split('\n')
    .flatMap((line) => wrapLine(line, width))
    .join('\n');
}

function wrapLine(line: string, width: number): string[] {
  const lead = /^(\s*(?:[-*]\s+)?)/.exec(line)![1]!;
  const words = line.slice(lead.length).split(/ +/).filter(Boolean);
  const hasLink = words.some((w) => LINK.test(w));
  if (line.length <= width && (!hasLink || words.length === 1)) return [line];
  const hang = ' '.repeat(lead.length);
  const lengthOf = (w: string) => (/%%ncw:[a-zA-Z]+Url%%/.test(w) ? width : w.length);
  const out: string[] = [];
  let current = lead;
  let filled = false;
  for (const word of words) {
    if (filled && current.length + 1 + lengthOf(word) > width) {
      out.push(current);
      current = hang + word;
    } else {
      current += filled ? ` ${word}` : word;
    }
    filled = true;
  }
  out.push(current);
  return out;
}
