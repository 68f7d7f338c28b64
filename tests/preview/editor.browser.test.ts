import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tipTemplate } from '../../src/content/scaffold.ts';
import { startStudioServer, type StudioServer } from '../../src/preview/server.ts';
import { browserAvailable, launchBrowser, seriousAxeViolations } from '../support/browser.ts';
import { runCli } from '../support/run-cli.ts';
import { repoRoot, tempProject, type TempProject } from '../support/temp-project.ts';

const FILE = 'content/tips/13-warm-socks-at-night.md';
const artifacts = path.join(repoRoot, 'artifacts');

/** Long words in long sentences: well over the series' reading grade. */
const HARD =
  'Nocturnal gastrocnemius contractions frequently necessitate comprehensive physiological evaluation considering electrolyte abnormalities, pharmacological interactions, and neuromuscular pathophysiology throughout extended recumbent intervals. ';

/** About 300 plain words, short sentences: a tip that reads at a low grade. */
const PLAIN = [
  'Cold feet can make a cramp more likely at night. Warm socks are a small fix that may help.',
  '',
  '## Why warmth helps',
  '',
  'When your feet are cold, the small blood vessels in them get narrow. Less blood reaches the muscles of your feet and calves. Some people find their muscles tighten more when they are cold. A pair of soft socks keeps the warmth in while you sleep.',
  '',
  'Pick socks that are loose at the top. Tight bands can press on your legs and leave marks. Wool or cotton both work well. Thick bed socks feel nice in winter. Thin ones are fine on warm nights.',
  '',
  '## How to try it',
  '',
  '- Put the socks on just before you get into bed.',
  '- Keep a spare pair by the bed in case your feet get hot.',
  '- Take them off if your feet start to sweat.',
  '- Wash them often so they stay soft.',
  '',
  'You can also warm your feet in a bowl of warm water for a few minutes before bed. Dry them well, then put the socks on. Do not use water that is hot, and test it with your hand first.',
  '',
  'If you have poor feeling in your feet, take care with heat of any kind. A hot water bottle or a heat pad can burn skin that does not feel pain well. Socks are the safe choice for you.',
  '',
  'Warm socks will not stop every cramp. They are one part of a calm bedtime, with a gentle stretch and a drink of water through the day. Try them for a week and see how your nights go. Keep a note of the nights you cramp and the nights you do not.',
  '',
  'Many readers tell us this simple habit makes bedtime feel nicer, even on nights with no cramp at all. It costs little and it is easy to stop if it does not suit you.',
  '',
  'Next week: how a short walk after dinner may help your legs.',
].join('\n');

/** Waits for a value (the studio checks on a busy machine can take seconds). */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 150_000, interval: 250 });

describe.skipIf(!browserAvailable())('the edit pane in Chromium: write, check and save a tip', () => {
  let project: TempProject;
  let server: StudioServer;
  let browser: Browser;
  let page: Page;
  const errors: Error[] = [];

  beforeAll(async () => {
    project = await tempProject();
    server = await startStudioServer({ config: project.config, port: 0, host: '127.0.0.1' });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e));
    page.setDefaultTimeout(150_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await project?.cleanup();
  });

  /** Replaces the whole body in the editor, as one paste. */
  async function setBody(text: string) {
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
  }

  it('creates, fills, checks, reviews and saves a tip that check passes, as newsletter new wrote it', async () => {
    await page.goto(`${server.url}/edit`);
    await page.locator('body[data-ready]').waitFor();
    await page.getByLabel('New tip: title').fill('Warm socks at night');
    await page.getByRole('button', { name: 'New tip' }).click();
    await poll(() => page.locator('#file-name').textContent()).toBe(FILE);
    expect(await readFile(path.join(project.dir, FILE), 'utf8')).toBe(tipTemplate('Warm socks at night', 13));

    // The form: every field by its visible label.
    await page
      .getByLabel('Preheader')
      .fill('Why cold feet and night cramps go together, and one small habit that may help.');
    await poll(() => page.locator('#c-preheader').textContent()).toMatch(/^78 \/ 150 characters/);
    await page.getByLabel('Try this tonight').fill('Put on a pair of loose, soft socks just before you get into bed.');
    await page.getByLabel('Source title').fill('NHS: Leg cramps');
    await page.getByLabel('Address (https://)').fill('http://www.nhs.uk/conditions/leg-cramps/');
    // The bad address is flagged at its field, with check's own message.
    await poll(() => page.locator('#e-sources').textContent()).toContain('must be an https:// address');
    expect(await page.locator('#f-sources .s-url').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('Address (https://)').fill('https://www.nhs.uk/conditions/leg-cramps/');
    await page.locator('#e-sources').waitFor({ state: 'hidden' });

    // A body that reads too hard: the grade warning appears at its line, then clears when fixed.
    await setBody(HARD.repeat(12));
    await page.locator('#body-problems li', { hasText: 'US grade' }).first().waitFor();
    await poll(() => page.locator('#grade').getAttribute('class')).toContain('over');
    await setBody(PLAIN);
    await page.locator('#body-problems li', { hasText: 'US grade' }).first().waitFor({ state: 'detached' });
    const words = Number((await page.locator('#words').textContent())!.split(' ')[0]);
    expect(words).toBeGreaterThanOrEqual(250);
    // The preview follows the unsaved text.
    await poll(() => page.frameLocator('#frame').locator('body').textContent()).toContain(
      'Pick socks that are loose at the top',
    );

    // Review: today's date, and a name only because one was typed.
    expect(await page.getByLabel('Your name (optional)').inputValue()).toBe('');
    await page.getByLabel('Your name (optional)').fill('Jo Bloggs');
    await page.getByLabel('Your role (optional)').fill('nurse');
    await page.getByRole('button', { name: 'Record my review' }).click();
    const today = new Date().toISOString().slice(0, 10);
    expect(await page.getByLabel('Reviewed on').inputValue()).toBe(today);
    await page.getByLabel('Draft').uncheck();

    await mkdir(artifacts, { recursive: true });
    await page.locator('#f-title').focus();
    await poll(() => page.locator('#preview-state').textContent()).toBe('Up to date');
    await page.screenshot({ path: path.join(artifacts, 'studio-edit-pane-1280.png'), fullPage: false });

    await page.getByRole('button', { name: 'Save…' }).click();
    await page.locator('#diff:not([hidden])').waitFor();
    expect(await page.locator('#diff-lines').textContent()).toContain('- draft: true');
    await page.getByRole('button', { name: 'Save the file' }).click();
    await poll(() => page.locator('#save-status').textContent()).toBe(`Saved ${FILE}.`);

    const saved = await readFile(path.join(project.dir, FILE), 'utf8');
    // The YAML is newsletter new's, line for line, with the editor's values in place.
    const expected = tipTemplate('Warm socks at night', 13)
      .replace(
        /^preheader: .*$/m,
        `preheader: "Why cold feet and night cramps go together, and one small habit that may help."`,
      )
      .replace(/^tonight: .*$/m, 'tonight: "Put on a pair of loose, soft socks just before you get into bed."')
      .replace(/^ {2}- title: .*$/m, '  - title: "NHS: Leg cramps"')
      .replace(/^ {4}url: .*$/m, '    url: https://www.nhs.uk/conditions/leg-cramps/')
      .replace(/^draft: true$/m, 'draft: false')
      // "Record my review" binds the review to the saved text, as `newsletter review` writes it.
      .replace(/^reviewed:$/m, `reviewed: ${today}\nreviewed_text: "…"\nreviewed_fields: "…"`)
      .replace(/^(# reviewed_by: .*)$/m, '$1\nreviewed_by: "Jo Bloggs, nurse"')
      .split('\n---\n')[0];
    const hashesHidden = saved
      .replace(/^reviewed_text: "[0-9a-f]{12}"$/m, 'reviewed_text: "…"')
      .replace(/^reviewed_fields: "(?:\w+=[0-9a-f]{8} ?){6}"$/m, 'reviewed_fields: "…"');
    expect(hashesHidden.split('\n---\n')[0]).toBe(expected);
    expect(saved.endsWith(`---\n${PLAIN}`)).toBe(true);

    const check = await runCli(['check'], project.dir);
    expect(check.stdout + check.stderr).not.toContain(FILE);
    expect(check.code).toBe(0);
  }, 900_000);

  it('shows both versions when the file changed on disk, overwrites nothing and loses nothing', async () => {
    const abs = path.join(project.dir, FILE);
    await setBody(`${PLAIN}\n\nAn extra line only the pane has.`);
    await poll(() => page.evaluate((f) => localStorage.getItem(`ncw-edit:${f}`) ?? '', FILE)).toContain(
      'An extra line only the pane has.',
    );
    const theirs = `${await readFile(abs, 'utf8')}\nA line added in a text editor.\n`;
    await writeFile(abs, theirs);

    await page.getByRole('button', { name: 'Save…' }).click();
    await page.locator('#conflict:not([hidden])').waitFor();
    expect(await page.locator('#conflict-disk').textContent()).toContain('A line added in a text editor.');
    expect(await page.locator('#conflict-mine').textContent()).toContain('An extra line only the pane has.');
    expect(await readFile(abs, 'utf8')).toBe(theirs);
    await page.screenshot({ path: path.join(artifacts, 'studio-edit-pane-conflict.png'), fullPage: false });

    // A reload keeps the unsaved text; Save still leads to the both-versions view.
    await page.reload();
    await page.locator('body[data-ready]').waitFor();
    await poll(() => page.locator('.cm-content').textContent()).toContain('An extra line only the pane has.');
    await page.getByRole('button', { name: 'Save…' }).click();
    await page.locator('#conflict:not([hidden])').waitFor();
    expect(await readFile(abs, 'utf8')).toBe(theirs);
    expect(errors).toEqual([]);
  }, 400_000);

  it('has no serious or critical axe finding in the pane, at 1280 and 375 px', async () => {
    for (const width of [1280, 375]) {
      await page.setViewportSize({ width, height: 900 });
      await page.locator('#error-summary').evaluate((el) => {
        (el as HTMLElement).hidden = false;
      });
      const violations = await seriousAxeViolations(page);
      expect(violations.map((v) => `${width}px ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual(
        [],
      );
    }
  }, 400_000);
});
