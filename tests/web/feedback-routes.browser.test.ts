import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { pass } from '../delivery/helpers.ts';
import { browserAvailable, useBrowser } from '../support/browser.ts';
import { linkIn, onSite, subscribeAndConfirm, useHarness } from './harness.ts';

/**
 * "Did this help?" as a reader meets it, in Chromium, against the real site, SQLite file and
 * SMTP sink: open the link (nothing recorded), press the button (one answer), add a comment,
 * change the answer, find it in "Download my data", delete the data and it is gone. Then the
 * preferences page's own script: the browser's zone pre-selected, the status dropped from the URL.
 */
describe.runIf(browserAvailable())('feedback and preferences in Chromium', () => {
  const h = useHarness();
  const browser = useBrowser();

  const answers = () => h.db.selectFrom('feedback').selectAll().execute();

  it('GET records nothing; POST once; change; export shows it; delete removes it', async () => {
    const email = 'chromium-reader@example.org';
    const { welcome } = await subscribeAndConfirm(h, email, { timezone: 'Europe/London' });
    const s = (await h.subscriber(email))!;
    expect((await pass(h.db, h.mailer, h.project, h.app.config, s.nextSendAt!)).sent).toBe(1);
    const tip = (await h.mailTo(email, 3))[2]!.parsed;
    const yes = /Yes:\n(\S+)/.exec(tip.text!)![1]!;
    const no = /Not really:\n(\S+)/.exec(tip.text!)![1]!;

    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));

    // Opening the link, twice, as a scanner and then the reader would: nothing is recorded.
    await page.goto(onSite(h, yes));
    await page.goto(onSite(h, yes));
    await page.getByRole('heading', { name: 'Did this help?' }).waitFor();
    expect(await page.getByLabel('Yes').isChecked()).toBe(true);
    expect(await page.getByRole('button').count()).toBe(1);
    expect(await answers()).toEqual([]);

    // The button records one answer and lands on a GET with the comment box.
    await page.getByRole('button', { name: 'Send my answer' }).click();
    await page.getByRole('heading', { name: 'Thank you' }).waitFor();
    expect(page.url()).toContain('saved=1');
    expect(await answers()).toEqual([expect.objectContaining({ subscriber_id: s.id, answer: 'yes', comment: null })]);
    await page.reload();
    expect(await answers()).toHaveLength(1);

    await page.getByLabel('What would help more?').fill('A drawing of the stretch <b>please</b>');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await page.getByText('Your comment: “A drawing of the stretch <b>please</b>”').waitFor();

    // "Not really" from the same email changes the answer; still one row, the comment kept.
    await page.goto(onSite(h, no));
    expect(await page.getByLabel('Not really').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Change my answer' }).click();
    await page.getByText('Your answer is saved:').waitFor();
    expect(await answers()).toEqual([
      expect.objectContaining({ answer: 'no', comment: 'A drawing of the stretch <b>please</b>' }),
    ]);

    // Download my data has it.
    await page.goto(onSite(h, linkIn(welcome.parsed, 'preferences')));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data (JSON)' }).click(),
    ]);
    const data = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
      feedback: { tip: string; answer: string; comment: string }[];
    };
    expect(data.feedback).toEqual([
      expect.objectContaining({ answer: 'no', comment: 'A drawing of the stretch <b>please</b>' }),
    ]);

    // Delete my data removes it.
    await page.getByLabel(/Delete my address, settings and history now/).check();
    await page.getByRole('button', { name: 'Delete my data' }).click();
    await page.getByRole('heading', { name: 'Your data is deleted' }).waitFor();
    expect(await answers()).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("pre-selects the browser's zone (reported by its old name) and drops the one-time status from the URL", async () => {
    const email = 'kolkata@example.org';
    const { welcome } = await subscribeAndConfirm(h, email);
    // Chromium reports Asia/Calcutta for India: the picker shows and sends today's name.
    const context = await browser.newContext({ timezoneId: 'Asia/Calcutta' });
    const page = await context.newPage();
    await page.goto(onSite(h, linkIn(welcome.parsed, 'preferences')));
    expect(await page.locator('select#timezone').inputValue()).toBe('Asia/Kolkata');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    expect((await h.subscriber(email))!.timezone).toBe('Asia/Kolkata');
    expect(new URL(page.url()).searchParams.has('status')).toBe(false);
    await page.reload();
    expect(await page.getByText('Saved.').count()).toBe(0);
    expect(await page.locator('#next-tip').textContent()).toContain('(Asia/Kolkata)');
    await context.close();
  });

  it('centres the home page: the masthead lines up with the content column at 1280 px', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${h.url}/`);
    const box = async (selector: string) => (await page.locator(selector).first().boundingBox())!;
    const main = await box('main');
    const brand = await box('.masthead a');
    const heading = await box('main h1');
    // The column is centred, and the masthead's name starts where the content does.
    expect(Math.abs(main.x + main.width / 2 - 640)).toBeLessThanOrEqual(1);
    expect(Math.abs(brand.x - heading.x)).toBeLessThanOrEqual(1);
    expect(brand.x).toBeGreaterThan(300);
    // On a phone it still has its margin.
    await page.setViewportSize({ width: 360, height: 740 });
    expect(Math.round((await box('.masthead a')).x)).toBe(20);
    await page.close();
  });
});
