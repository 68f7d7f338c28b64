/**
 * Each MJML template's output is wrapped in marker comments, so a line of the assembled MJML
 * document can be traced back to its template file and line (MJML errors name the line of the
 * document only). Kept apart from the Handlebars loader so the MJML step does not need it.
 */
export const MARK_BEGIN = (file: string) => `<!--ncw:b:${file}-->`;
export const MARK_END = '<!--ncw:e-->';

/** Maps each line of an assembled MJML document to the template file and line it came from. */
export function mapAssembledLines(assembled: string): { file: string; line: number }[] {
  const token = /<!--ncw:b:(.*?)-->|<!--ncw:e-->/g;
  const stack: { file: string; line: number }[] = [];
  const out: { file: string; line: number }[] = [];
  for (const text of assembled.split('\n')) {
    const leading = /^(\s*(<!--ncw:b:.*?-->|<!--ncw:e-->))*/.exec(text)?.[0] ?? '';
    let recorded = false;
    token.lastIndex = 0;
    for (let m = token.exec(text); m; m = token.exec(text)) {
      if (!recorded && m.index >= leading.length) {
        out.push({ ...(stack[stack.length - 1] ?? { file: '?', line: 0 }) });
        recorded = true;
      }
      if (m[1] !== undefined) stack.push({ file: m[1], line: 1 });
      else stack.pop();
    }
    if (!recorded) out.push({ ...(stack[stack.length - 1] ?? { file: '?', line: 0 }) });
    const current = stack[stack.length - 1];
    if (current) current.line++;
  }
  return out;
}
