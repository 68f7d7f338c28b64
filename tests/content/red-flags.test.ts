import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { convert } from 'html-to-text';
import { afterEach, describe, expect, it } from 'vitest';
import { checkProject } from '../../src/check/run-checks.ts';
import { loadContent, type Content } from '../../src/content/index.ts';
import { formatProblem } from '../../src/problems.ts';
import { runCli } from '../support/run-cli.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

const NOW = new Date('2026-12-05T12:00:00Z');
const HELP = 'content/pages/help.md';
const WEEK2 = 'content/tips/02-cramp-or-something-else.md';
const WEEK12 = 'content/tips/12-when-to-call-a-doctor.md';
const TIER_HEADINGS = [
  'Call 911 (or your local emergency number) now',
  'Get medical help today',
  'See your doctor soon',
  'Book a visit',
];

const text = (html: string) =>
  convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'a', options: { ignoreHref: true } },
    ],
  }).replace(/\s+/g, ' ');
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
/** The sign's words as a reader sees them: its Markdown line without bullet, key or emphasis. */
const signWords = (line: string) => flat(line.replace(/^[-*+]\s+/, '').replace(/\*\*/g, ''));

/** Which of the four tier headings comes last before `at` in `page`: the tier a reader files the sign under. */
function tierAt(page: string, at: number): string | undefined {
  let best: { heading: string; index: number } | undefined;
  for (const heading of TIER_HEADINGS) {
    const index = page.lastIndexOf(heading, at);
    if (index >= 0 && (!best || index > best.index)) best = { heading, index };
  }
  return best?.heading;
}

async function load(temp: TempProject): Promise<Content> {
  return loadContent(path.join(temp.dir, 'content'), temp.dir);
}

describe('one red-flag checklist, in content/pages/help.md', () => {
  let temp: TempProject | undefined;
  afterEach(async () => {
    await temp?.cleanup();
    temp = undefined;
  });

  it('week 12, the help page and the footer file every sign under the same tier, in the same words', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const content = await load(temp);
    expect(content.problems.map(formatProblem)).toEqual([]);
    const flags = content.redFlags!;
    expect(flags.tiers.map((t) => t.id)).toEqual(['now', 'today', 'soon', 'visit']);
    const help = text(content.pages!.find((p) => p.name === 'help')!.html);
    const week12 = text(content.tips.find((t) => t.week === 12)!.html);
    const footer = content.series!.urgentHelp;
    let signs = 0;
    for (const tier of flags.tiers) {
      const heading = TIER_HEADINGS[['now', 'today', 'soon', 'visit'].indexOf(tier.id)]!;
      for (const item of tier.items) {
        const words = signWords(item.lines.join(' '));
        for (const [where, page] of [
          ['help page', help],
          ['week 12', week12],
        ] as const) {
          const at = page.indexOf(words);
          expect(at, `${item.key} in the ${where}`).toBeGreaterThanOrEqual(0);
          expect(tierAt(page, at), `${item.key} in the ${where}`).toBe(heading);
        }
        if (item.lead) {
          // The footer lists the sign's bold words under its tier's heading, never another's.
          const lead = item.lead.replace(/[.\s]+$/, '').toLowerCase();
          const at = footer.toLowerCase().indexOf(lead);
          expect(at, `${item.key} in the footer`).toBeGreaterThanOrEqual(0);
          expect(tierAt(footer, at), `${item.key} in the footer`).toBe(heading);
        }
        signs++;
      }
    }
    expect(signs).toBeGreaterThanOrEqual(15);
    // The footer says 911 before "today", and where to go when the doctor's office is closed.
    expect(footer.indexOf('Call 911')).toBe(0);
    expect(footer).toMatch(
      /Get medical help today: one leg that is painful and swollen\..*urgent care center or an emergency room/,
    );
    expect(footer).toContain('coughing up blood');
  });

  it('one edit of help.md changes the sign in week 2, week 12, the help page, the footer and the emails built from them', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const file = path.join(temp.dir, HELP);
    const before = await readFile(file, 'utf8');
    const edited = before.replace(
      '- {#lungs} **Short of breath, chest pain or coughing up blood.**',
      '- {#lungs} **Sudden breathlessness, chest pain or coughing up blood.**',
    );
    expect(edited).not.toBe(before);
    await writeFile(file, edited);
    const content = await load(temp);
    expect(content.problems.map(formatProblem)).toEqual([]);
    const sign = 'Sudden breathlessness, chest pain or coughing up blood.';
    expect(text(content.pages!.find((p) => p.name === 'help')!.html)).toContain(sign);
    for (const week of [2, 12])
      expect(text(content.tips.find((t) => t.week === week)!.html), `week ${week}`).toContain(sign);
    expect(content.series!.urgentHelp).toContain('now: sudden breathlessness, chest pain or coughing up blood;');
    for (const week of ['2', '12']) {
      const txt = await runCli(['render', week, '--text'], temp.dir, { NEWSLETTER_CACHE_DIR: 'off' });
      expect(txt.code, txt.stderr).toBe(0);
      expect(flat(txt.stdout), `week ${week} text part`).toContain(sign);
      expect(flat(txt.stdout), `week ${week} text footer`).toContain(
        'now: sudden breathlessness, chest pain or coughing up blood;',
      );
      expect(txt.stdout).not.toContain('Short of breath, chest pain');
      const html = await runCli(['render', week], temp.dir, { NEWSLETTER_CACHE_DIR: 'off' });
      expect(flat(convert(html.stdout, { wordwrap: false })), `week ${week} HTML`).toContain(sign);
    }
  });

  it('an include of a tier or a sign that does not exist fails check with the file and line', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const file = path.join(temp.dir, WEEK2);
    const source = await readFile(file, 'utf8');
    const lines = source.split('\n');
    const at = lines.findIndex((l) => l.includes('{{red-flags today: dvt}}'));
    expect(at).toBeGreaterThan(0);
    lines[at] = '> {{red-flags today: dvt, cold-feet}}';
    lines.splice(at + 1, 0, '>', '> {{red-flags later}}', '>', '> {{red-flags today: lungs}}');
    await writeFile(file, lines.join('\n'));
    const run = await runCli(['check'], temp.dir, { NEWSLETTER_CACHE_DIR: 'off' }, NOW);
    expect(run.code).toBe(1);
    const out = run.stdout.split('\n');
    expect(out).toContain(
      `${WEEK2}:${at + 1}: {{red-flags today: …}} names sign "cold-feet", which tier "today" of ${HELP} does not have; its signs: dvt, night-foot, wound, toxin, long-cramp, dark-urine, spreading`,
    );
    expect(out).toContain(
      `${WEEK2}:${at + 3}: {{red-flags later}} names tier "later", which does not exist: the tiers are now, today, soon, visit`,
    );
    expect(out).toContain(
      `${WEEK2}:${at + 5}: sign "lungs" is in tier "now" (Call 911 (or your local emergency number) now), not "today": include it as {{red-flags now: lungs}} and check the words around it`,
    );
    // The broken tip is held back: it is not sent without its warning signs.
    expect((await load(temp)).tips.map((t) => t.week)).not.toContain(2);
  });

  it('a missing tier in help.md fails check at help.md, and every include of it at its own line', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const file = path.join(temp.dir, HELP);
    const help = await readFile(file, 'utf8');
    await writeFile(file, help.replace('## See your doctor soon {#soon}', '## See your doctor soon'));
    const report = await checkProject(temp.config, NOW);
    const lines = report.problems.filter((p) => p.severity === 'error').map(formatProblem);
    const bodyLine = help.split('\n').indexOf('---', 1) + 2;
    expect(lines).toContain(
      `${HELP}:${bodyLine}: help.md has no tier {#soon}: add the heading "## See your doctor soon {#soon}" with its signs`,
    );
    const week12 = (await readFile(path.join(temp.dir, WEEK12), 'utf8')).split('\n');
    expect(lines).toContain(
      `${WEEK12}:${week12.indexOf('{{red-flags soon}}') + 1}: {{red-flags soon}} names tier "soon", which does not exist: ${HELP} has no heading with {#soon}`,
    );
  });

  it('check warns when a tip says 911, emergency or urgent outside a warning or an include', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const file = path.join(temp.dir, 'content/tips/03-stop-it-in-its-tracks.md');
    const source = await readFile(file, 'utf8');
    const outside = 'If it will not stop, call 911.';
    const inside =
      '> [!WARNING]\n> If it will not stop and you cannot breathe, call {{emergency}} now: this is an emergency.';
    await writeFile(
      file,
      source
        .replace('## Go gently', `${outside}\n\n${inside}\n\nUrgent care centers can help too.\n\n## Go gently`)
        .replace(/^tonight: "/m, 'tonight: "In an emergency, call for help. '),
    );
    const lines = (await readFile(file, 'utf8')).split('\n');
    const report = await checkProject(temp.config, NOW);
    const found = report.problems.filter((p) => p.check === 'urgent-words').map(formatProblem);
    const rel = 'content/tips/03-stop-it-in-its-tracks.md';
    expect(found).toEqual([
      `${rel}:${lines.findIndex((l) => l.startsWith('tonight:')) + 1}: warning: tonight says "emergency" outside a warning: put emergency advice in a "> [!WARNING]" block, or include the sign from content/pages/help.md with {{red-flags TIER: sign}}`,
      `${rel}:${lines.indexOf(outside) + 1}: warning: the body says "911" outside a warning: put emergency advice in a "> [!WARNING]" block, or include the sign from content/pages/help.md with {{red-flags TIER: sign}}`,
      `${rel}:${lines.indexOf('Urgent care centers can help too.') + 1}: warning: the body says "Urgent" outside a warning: put emergency advice in a "> [!WARNING]" block, or include the sign from content/pages/help.md with {{red-flags TIER: sign}}`,
    ]);
    // Warnings only: the tip still goes out.
    expect(report.problems.filter((p) => p.severity === 'error' && p.file === rel)).toEqual([]);
  });

  it('the emergency number comes from series.yml: one setting changes the tips, the help page, the footer and the emails', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const seriesFile = path.join(temp.dir, 'content/series.yml');
    const series = await readFile(seriesFile, 'utf8');
    await writeFile(
      seriesFile,
      series.replace('locale: en-US', 'locale: en-GB').replace('emergency: "911"', 'emergency: "999"'),
    );
    const content = await load(temp);
    expect(content.problems.map(formatProblem)).toEqual([]);
    const help = text(content.pages!.find((p) => p.name === 'help')!.html);
    expect(help).toContain('Call 999 (or your local emergency number) now');
    for (const week of [2, 12])
      expect(text(content.tips.find((t) => t.week === week)!.html), `week ${week}`).toContain(
        'Call 999 (or your local emergency number) now',
      );
    expect(content.series!.urgentHelp).toMatch(/^Call 999 \(or your local emergency number\) now: /);
    expect(content.series!.language).toBe('en-GB');
    const everything = [
      help,
      content.series!.urgentHelp,
      ...content.tips.map((t) => text(t.html) + (t.tonight ?? '')),
    ].join('\n');
    expect(everything).not.toContain('911');
    const txt = await runCli(['render', '12', '--text'], temp.dir, { NEWSLETTER_CACHE_DIR: 'off' });
    expect(txt.code, txt.stderr).toBe(0);
    expect(txt.stdout).toContain('Call 999 (or your local emergency number) now');
    expect(txt.stdout).not.toContain('911');
  });

  it('series.yml: a locale outside the US and Canada needs its emergency number, said at its line', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const seriesFile = path.join(temp.dir, 'content/series.yml');
    const series = await readFile(seriesFile, 'utf8');
    const noNumber = series.replace('locale: en-US', 'locale: en-GB').replace(/^emergency: .*\n/m, '');
    await writeFile(seriesFile, noNumber);
    const localeLine = noNumber.split('\n').indexOf('locale: en-GB') + 1;
    expect((await load(temp)).problems.map(formatProblem)).toEqual([
      `content/series.yml:${localeLine}: emergency is required for locale en-GB: add the number readers call, e.g. emergency: "999"`,
    ]);
    await writeFile(seriesFile, series.replace('emergency: "911"', 'emergency: nine-one-one'));
    const bad = (await load(temp)).problems.map(formatProblem);
    expect(bad).toEqual([
      expect.stringMatching(
        /^content\/series\.yml:\d+: emergency must be the emergency number readers call, in quotes, like "911" or "999 or 112" \(got "nine-one-one"\)$/,
      ),
    ]);
  });

  it('check passes on the shipped content, with no include, red-flag or urgent-word finding', async () => {
    temp = await tempProject({ NEWSLETTER_CACHE_DIR: 'off' });
    const report = await checkProject(temp.config, NOW);
    expect(report.problems.filter((p) => p.severity !== 'info').map(formatProblem)).toEqual([]);
    expect(report.tipsChecked).toBe(12);
    // Every tip that names a sign takes it from help.md; none types the number itself.
    const content = await load(temp);
    for (const tip of content.tips) expect(tip.sourceMarkdown, tip.file).not.toMatch(/\b911\b|same day/i);
    expect(content.tips.filter((t) => /\{\{red-flags /.test(t.sourceMarkdown)).map((t) => t.week)).toEqual([
      1, 2, 3, 10, 12,
    ]);
  });
});
