import { describe, expect, it } from 'vitest';
import { browserAvailable, useBrowser } from '../support/browser.ts';
import { linkIn, onSite, useHarness } from './harness.ts';

describe.runIf(browserAvailable())('the site in Chromium', () => {
  const h = useHarness();
  const browser = useBrowser();

  it("the form submits with the browser's time zone, and the confirmation page's button confirms", async () => {
    const context = await browser.newContext({
      timezoneId: 'Asia/Tokyo',
      viewport: { width: 360, height: 740 },
      locale: 'en-GB',
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`${h.url}/`);

    // Readable on a phone: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // The script filled the hidden field (CSP allowed it by its hash).
    expect(await page.locator('input[name=timezone]').inputValue()).toBe('Asia/Tokyo');

    await page.getByLabel('Your email address').fill('browser@example.org');
    await page.getByLabel('First name (optional)').fill('Bea');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect(await h.subscriber('browser@example.org')).toMatchObject({
      status: 'pending',
      name: 'Bea',
      timezone: 'Asia/Tokyo',
    });

    const [mail] = await h.mailTo('browser@example.org');
    await page.goto(onSite(h, linkIn(mail!.parsed, 'confirm')));
    expect((await h.subscriber('browser@example.org'))!.status).toBe('pending');
    await page.getByRole('button', { name: 'Yes, start my weekly tips' }).click();
    await page.getByRole('heading', { name: 'You are in' }).waitFor();
    expect(await page.getByText('Your first tip arrives on').textContent()).toContain('(Asia/Tokyo)');
    expect((await h.subscriber('browser@example.org'))!.status).toBe('active');
    await h.mailTo('browser@example.org', 2);

    // The preferences page works by keyboard alone: tab to the pause button and press it.
    await page.getByRole('link', { name: /Change your time zone/ }).click();
    await page.getByRole('heading', { name: 'Your preferences' }).waitFor();
    expect(await page.locator('select#timezone').inputValue()).toBe('Asia/Tokyo');
    await page.getByRole('button', { name: 'Pause my tips' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('Paused. You will get no tips until you resume.').waitFor();
    expect((await h.subscriber('browser@example.org'))!.status).toBe('paused');

    expect(problems, problems.join('\n')).toEqual([]);
    await context.close();
  });

  it('works without JavaScript: the form submits and the reader gets the default zone', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, timezoneId: 'Asia/Tokyo' });
    const page = await context.newPage();
    await page.goto(`${h.url}/`);
    expect(await page.locator('input[name=timezone]').inputValue()).toBe('');
    await page.getByLabel('Your email address').fill('nojs@example.org');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    expect(await h.subscriber('nojs@example.org')).toMatchObject({ status: 'pending', timezone: null });
    await context.close();
  });
});
