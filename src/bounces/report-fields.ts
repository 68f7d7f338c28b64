/**
 * The `Name: value` field groups of a delivery-status report (RFC 3464 section 2.1) and a
 * feedback report (RFC 5965 section 3.1): header syntax, groups separated by blank lines,
 * continuation lines folded in. Names come back lower-case; a repeated name keeps its first value.
 */
export function fieldGroups(text: string): Map<string, string>[] {
  const groups: Map<string, string>[] = [];
  let current = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    if (line.trim() === '') {
      if (current.size) groups.push(current);
      current = new Map();
      last = undefined;
      continue;
    }
    if (/^[ \t]/.test(line) && last) {
      current.set(last, `${current.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    last = name;
    if (!current.has(name)) current.set(name, line.slice(colon + 1).trim());
    else last = undefined;
  }
  if (current.size) groups.push(current);
  return groups;
}

/** The header block of a message (everything before the first blank line) as fields. */
export function headerFields(message: string): Map<string, string> {
  const head = message.replace(/\r\n?/g, '\n').split(/\n\n/, 1)[0] ?? '';
  return fieldGroups(head)[0] ?? new Map();
}

/** `rfc822; bob@example.org` → `bob@example.org`; `<a@b>` → `a@b`. */
export function addressIn(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const bare = value.replace(/^[^;]*;\s*/, '').trim();
  const m = /<([^<>\s]+@[^<>\s]+)>/.exec(bare) ?? /([^<>\s;]+@[^<>\s;]+)/.exec(bare);
  return m?.[1];
}
