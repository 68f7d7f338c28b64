import type { Problem } from '../problems.ts';

/**
 * The red-flag checklist lives once, in `content/pages/help.md`, under four tiers; tips, week 12
 * and every footer take their warning signs from it, so no two places can file one sign under
 * two tiers. In help.md a tier is a heading with an id and each sign a list item with a key:
 *
 *     ## Get medical help today {#today}
 *     If your doctor's office is closed, go to an urgent care center ...   (the tier's intro)
 *     - {#dvt} **One leg is painful and swollen.** The skin may ...        (a sign)
 *
 * A tip includes a whole tier with a line `{{red-flags today}}`, or some of its signs with
 * `{{red-flags today: dvt, tetanus}}`; the line may sit in a block quote (`> {{red-flags now}}`).
 * `{{emergency}}` anywhere in a body is the series' emergency number (series.yml `emergency`).
 * Everything is expanded when content loads, so the email, its text part, the public pages and
 * `check` all see one text.
 */

/** The four tiers, most urgent first, with the heading each is meant to have. */
export const TIERS = [
  { id: 'now', heading: 'Call {{emergency}} (or your local emergency number) now' },
  { id: 'today', heading: 'Get medical help today' },
  { id: 'soon', heading: 'See your doctor soon' },
  { id: 'visit', heading: 'Book a visit' },
] as const;

export type TierId = (typeof TIERS)[number]['id'];
const TIER_IDS: readonly string[] = TIERS.map((t) => t.id);

export interface RedFlagItem {
  key: string;
  /** 1-based line in help.md. */
  line: number;
  /** The item's Markdown lines, its key removed (`- One leg is …`, continuation lines as written). */
  lines: string[];
  /** The bold words the item starts with, if any: what the footer's urgent line lists. */
  lead?: string;
}

export interface RedFlagTier {
  id: TierId;
  line: number;
  /** The heading line as written, its id removed (`## Get medical help today`). */
  headingLine: string;
  /** The heading's words (`Get medical help today`). */
  heading: string;
  /** Lines between the heading and the first sign: said once for the whole tier. */
  intro: string[];
  items: RedFlagItem[];
  /** Lines after the last sign, up to the next heading: part of the tier when it is included whole. */
  after: string[];
}

/** The checklist as help.md holds it; plain data, so the content cache can keep it. */
export interface RedFlags {
  file: string;
  tiers: RedFlagTier[];
}

const TIER_HEADING = /^(#{2,3})[ \t]+(.*?)[ \t]*\{#([A-Za-z0-9-]+)\}[ \t]*$/;
const ANY_HEADING = /^#{1,6}[ \t]/;
const KEYED_ITEM = /^([-*+])[ \t]+\{#([A-Za-z0-9-]+)\}[ \t]*(.*)$/;
const ANY_ITEM = /^[-*+][ \t]+/;
const CONTINUATION = /^[ \t]{2,}\S/;
const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Reads the tiers and signs out of help.md's body. `bodyLine` is the file line the body starts on,
 * so every problem names the line an editor must change.
 */
export function parseRedFlags(body: string, file: string, bodyLine: number): { flags: RedFlags; problems: Problem[] } {
  const problems: Problem[] = [];
  const add = (severity: Problem['severity'], line: number, message: string) =>
    problems.push({ severity, check: 'red-flags', file, line, message });
  const tiers: RedFlagTier[] = [];
  const keys = new Map<string, number>();
  let tier: RedFlagTier | undefined;
  let item: RedFlagItem | undefined;

  body.split('\n').forEach((raw, i) => {
    const text = raw.replace(/\r$/, '');
    const line = bodyLine + i;
    const heading = TIER_HEADING.exec(text);
    if (heading) {
      item = undefined;
      tier = tierFromHeading(heading, line, tiers, add);
      if (tier) tiers.push(tier);
      return;
    }
    if (ANY_HEADING.test(text)) {
      // Any other heading (e.g. "Before the visit") ends the tier.
      tier = undefined;
      item = undefined;
      return;
    }
    if (!tier) return;
    const keyed = KEYED_ITEM.exec(text);
    if (keyed) {
      const [, bullet, key, rest] = keyed as unknown as [string, string, string, string];
      if (!ID.test(key))
        add('error', line, `sign key {#${key}} must be lower-case letters, digits and hyphens, e.g. {#dvt}`);
      const first = keys.get(key);
      if (first !== undefined)
        add('error', line, `sign key {#${key}} is already used on line ${first}: give each sign its own key`);
      else keys.set(key, line);
      const lead = /^\*\*(.+?)\*\*/.exec(rest)?.[1];
      item = { key, line, lines: [`${bullet} ${rest}`], ...(lead ? { lead } : {}) };
      tier.items.push(item);
      tier.after = [];
      return;
    }
    if (ANY_ITEM.test(text)) {
      add(
        'warning',
        line,
        'this sign has no key, so no tip can include it on its own: start it with one, e.g. "- {#cold-foot} A foot …"',
      );
      item = { key: '', line, lines: [text] };
      tier.items.push(item);
      tier.after = [];
      return;
    }
    if (item && CONTINUATION.test(text)) {
      item.lines.push(text);
      return;
    }
    item = undefined;
    if (tier.items.length === 0) tier.intro.push(text);
    else tier.after.push(text);
  });

  finishTiers(tiers, bodyLine, add);
  return { flags: { file, tiers }, problems };
}

type AddProblem = (severity: Problem['severity'], line: number, message: string) => void;

/** A tier from its heading, or undefined (with a problem) when the id is unknown or repeated. */
function tierFromHeading(
  heading: RegExpExecArray,
  line: number,
  tiers: readonly RedFlagTier[],
  add: AddProblem,
): RedFlagTier | undefined {
  const [, hashes, words, id] = heading as unknown as [string, string, string, string];
  if (!TIER_IDS.includes(id)) {
    add(
      'error',
      line,
      `unknown tier id {#${id}}: the four tiers are ${TIERS.map((t) => `{#${t.id}}`).join(', ')} (most urgent first)`,
    );
    return undefined;
  }
  if (tiers.some((t) => t.id === id)) {
    add('error', line, `tier {#${id}} appears twice: each tier has one heading; move these signs under the first one`);
    return undefined;
  }
  return { id: id as TierId, line, headingLine: `${hashes} ${words}`, heading: words, intro: [], items: [], after: [] };
}

/** Trims each tier's loose lines, then checks that all four tiers are there, most urgent first. */
function finishTiers(tiers: RedFlagTier[], bodyLine: number, add: AddProblem): void {
  for (const t of tiers) {
    t.intro = trimBlank(t.intro);
    t.after = trimBlank(t.after);
  }
  const seen = TIERS.filter((t) => tiers.some((x) => x.id === t.id));
  for (const t of TIERS) {
    if (!seen.includes(t))
      add(
        'error',
        bodyLine,
        `help.md has no tier {#${t.id}}: add the heading "## ${t.heading} {#${t.id}}" with its signs`,
      );
  }
  const order = tiers.map((t) => TIER_IDS.indexOf(t.id));
  if (order.some((o, i) => i > 0 && o < order[i - 1]!)) {
    add(
      'error',
      tiers[order.findIndex((o, i) => i > 0 && o < order[i - 1]!)]!.line,
      `the tiers must come most urgent first: ${TIERS.map((t) => `{#${t.id}}`).join(', ')}`,
    );
  }
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && !lines[start]!.trim()) start++;
  while (end > start && !lines[end - 1]!.trim()) end--;
  return lines.slice(start, end);
}

/** What a body may use besides plain Markdown: the checklist and the emergency number. */
export interface ExpandContext {
  file: string;
  /** The file line the body starts on. */
  bodyLine: number;
  /** The checklist from help.md; undefined when help.md is missing or has no body. */
  flags: RedFlags | undefined;
  /** The number(s) `{{emergency}}` stands for, from series.yml. */
  emergency: string;
  /** help.md itself: drop the `{#id}` markers, which only name tiers and signs. */
  stripMarkers?: boolean;
}

/** A line that is only an include, maybe inside a block quote: `> {{red-flags today: dvt}}`. */
export const INCLUDE_LINE = /^([ \t]*(?:>[ \t]?)*)\{\{\s*red-flags\s+([A-Za-z0-9-]+)\s*(?::\s*([^}]*?))?\s*\}\}[ \t]*$/;
const DIRECTIVE_LINE = /^[ \t]*(?:>[ \t]?)*\{\{[^}]*\}\}[ \t]*$/;
const TOKEN = /\{\{\s*([^}]*?)\s*\}\}/g;

/**
 * Expands the includes and `{{emergency}}` of one body. An include of a tier or sign that does
 * not exist is an error at the include's line; the body is still returned, the include left out.
 */
export function expandBody(markdown: string, ctx: ExpandContext): { markdown: string; problems: Problem[] } {
  const problems: Problem[] = [];
  const err = (line: number, message: string) =>
    problems.push({ severity: 'error', check: 'include', file: ctx.file, line, message });
  const out: string[] = [];
  markdown.split('\n').forEach((text, i) => {
    const line = ctx.bodyLine + i;
    const include = INCLUDE_LINE.exec(text);
    if (include) {
      const [, prefix = '', tierId = '', list] = include;
      const lines = includedLines(tierId, list, ctx, (m) => err(line, m));
      if (lines)
        out.push(
          ...lines
            .map((l) => (prefix ? (l ? `${prefix}${l}` : prefix.trimEnd()) : l))
            .map((l) => withTokens(l, ctx, line, err)),
        );
      return;
    }
    if (DIRECTIVE_LINE.test(text) && !/^\s*(?:>\s?)*\{\{\s*emergency\s*\}\}\s*$/.test(text)) {
      err(
        line,
        `"${text.trim()}" is not an include: write {{red-flags TIER}} or {{red-flags TIER: sign, sign}}, with TIER one of ${TIER_IDS.join(', ')}`,
      );
      return;
    }
    const stripped = ctx.stripMarkers ? stripMarkers(text) : text;
    out.push(withTokens(stripped, ctx, line, err));
  });
  return { markdown: out.join('\n'), problems };
}

function withTokens(text: string, ctx: ExpandContext, line: number, err: (line: number, m: string) => void): string {
  return text.replace(TOKEN, (whole, name: string) => {
    if (name === 'emergency') return ctx.emergency;
    err(
      line,
      `unknown placeholder ${whole}: a body may use {{emergency}} (the number in series.yml) and lines of {{red-flags TIER}}`,
    );
    return whole;
  });
}

/** help.md's `{#id}` markers removed: `## Heading {#today}` → `## Heading`, `- {#dvt} Text` → `- Text`. */
export function stripMarkers(text: string): string {
  const heading = TIER_HEADING.exec(text);
  if (heading) return `${heading[1]} ${heading[2]}`;
  const item = KEYED_ITEM.exec(text);
  if (item) return `${item[1]} ${item[3]}`;
  return text;
}

function includedLines(
  tierId: string,
  list: string | undefined,
  ctx: ExpandContext,
  err: (m: string) => void,
): string[] | undefined {
  const help = ctx.flags?.file ?? 'content/pages/help.md';
  if (!ctx.flags) {
    err(`{{red-flags ${tierId}}} needs ${help}, which is missing or unreadable: the warning signs live there`);
    return undefined;
  }
  const tier = ctx.flags.tiers.find((t) => t.id === tierId);
  if (!tier) {
    const hint = TIER_IDS.includes(tierId)
      ? `${help} has no heading with {#${tierId}}`
      : `the tiers are ${TIER_IDS.join(', ')}`;
    err(`{{red-flags ${tierId}}} names tier "${tierId}", which does not exist: ${hint}`);
    return undefined;
  }
  if (list === undefined) {
    return [
      tier.headingLine,
      '',
      ...(tier.intro.length ? [...tier.intro, ''] : []),
      ...tier.items.flatMap((it) => it.lines),
      ...(tier.after.length ? ['', ...tier.after] : []),
    ];
  }
  const keys = list
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (!keys.length) {
    err(
      `{{red-flags ${tierId}:}} names no sign: list their keys, e.g. {{red-flags ${tierId}: ${tier.items.find((x) => x.key)?.key ?? 'dvt'}}}`,
    );
    return undefined;
  }
  const items: RedFlagItem[] = [];
  let missing = false;
  for (const key of keys) {
    const found = tier.items.find((it) => it.key === key);
    if (found) {
      items.push(found);
      continue;
    }
    missing = true;
    const elsewhere = ctx.flags.tiers.find((t) => t.items.some((it) => it.key === key));
    const known = tier.items.map((it) => it.key).filter(Boolean);
    err(
      elsewhere
        ? `sign "${key}" is in tier "${elsewhere.id}" (${elsewhere.heading.replace(/\{\{\s*emergency\s*\}\}/, ctx.emergency)}), not "${tierId}": include it as {{red-flags ${elsewhere.id}: ${key}}} and check the words around it`
        : `{{red-flags ${tierId}: …}} names sign "${key}", which tier "${tierId}" of ${help} does not have${known.length ? `; its signs: ${known.join(', ')}` : ''}`,
    );
  }
  if (missing) return undefined;
  return [
    `**${tier.heading}**`,
    '',
    ...(tier.intro.length ? [...tier.intro, ''] : []),
    ...items.flatMap((it) => it.lines),
  ];
}

/**
 * The footer's urgent-help line, built from help.md, one sentence group per tier: the heading of
 * each of the two most urgent tiers, the bold lead of each of its signs, and for "today" what it
 * says about where to go. So the footer files every sign under the tier the help page and week 12
 * do. Empty when no sign in those tiers has a bold lead.
 */
export function urgentLines(flags: RedFlags, emergency: string): string[] {
  const lines: string[] = [];
  for (const id of ['now', 'today'] as const) {
    const tier = flags.tiers.find((t) => t.id === id);
    if (!tier) continue;
    const leads = tier.items.flatMap((it) =>
      it.lead ? [lowerFirst(plain(it.lead, emergency).replace(/[\s.:;,]+$/, ''))] : [],
    );
    if (!leads.length) continue;
    const where = id === 'today' && tier.intro.length ? ` ${plain(tier.intro.join(' '), emergency)}` : '';
    lines.push(`${plain(tier.heading, emergency)}: ${leads.join('; ')}.${where}`.replace(/\s+/g, ' ').trim());
  }
  return lines;
}

/** Inline Markdown as plain words: emphasis and code marks dropped, links kept as their text. */
function plain(markdown: string, emergency: string): string {
  return markdown
    .replace(/\{\{\s*emergency\s*\}\}/g, emergency)
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*|__|`/g, '')
    .replace(/(^|\W)[*_](\S[^*_]*?)[*_](?=\W|$)/g, '$1$2')
    .trim();
}

/** "Short of breath" → "short of breath", "A foot" → "a foot", but "DVT in one leg" stays. */
function lowerFirst(s: string): string {
  return /^[A-Z](?![A-Z])/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s;
}
