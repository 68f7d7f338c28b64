import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeEachEngine, useTestStore } from '../support/engines.ts';
import { runCli } from '../support/run-cli.ts';
import type { ReceivedMail } from '../support/smtp-sink.ts';
import { form, rawHeader, useHarness } from '../web/harness.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ADVERT = 'WIN $5000 NOW at https://evil.example/claim';
const REFUSED = 'Please give just a first name, without a web address or a domain such as example.com.';

/**
 * Issue 20, row 8: a stranger signs up `victim@…` with the name "WIN $5000 NOW at
 * https://evil.example/claim". Before the fix that text was mailed to the victim in the
 * confirmation, and again every 10 minutes (144 a day). Now a name with a web address or a
 * domain is refused with a clear message (the form, JSON, `subscribers add`, import); the
 * confirmation carries nothing the requester typed; and an address gets at most 3 confirmations
 * in a rolling day, counted in the database, whichever site process the requests reach, with
 * the same answer every time.
 */
describeEachEngine('a stranger signs someone else up with an advert for a name', (engine) => {
  const t = useTestStore(engine);
  const env = () => ({
    NEWSLETTER_DATABASE_URL: t.url,
  });
  // Two site processes on one database, as behind a load balancer.
  const a = useHarness(() => ({ env: env() }));
  const b = useHarness(() => ({ env: env() }));

  const mailTo = (email: string): ReceivedMail[] =>
    [...a.sink.received, ...b.sink.received].filter((m) => m.envelopeTo.includes(email));
  const row = (email: string) =>
    t.db.selectFrom('subscribers').select(['name', 'status']).where('email_normalized', '=', email).executeTakeFirst();

  it('the advert is refused with a clear message, on the form and in JSON; nothing is stored or sent', async () => {
    const victim = 'victim@reader-mail.example';
    const page = await form(`${a.url}/subscribe`, { email: victim, name: ADVERT });
    expect(page.status).toBe(400);
    const html = await page.text();
    expect(html).toContain(REFUSED);
    // The message is tied to the name field, and what was typed is shown back (escaped) to correct.
    expect(html).toMatch(/<input id="name"[^>]*aria-invalid="true" aria-describedby="name-error"/);
    expect(html).toContain('id="name-error"');
    const json = await fetch(`${b.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: victim, name: ADVERT }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toEqual({ ok: false, error: 'invalid-name', message: REFUSED });
    await Promise.all([a.site.idle(), b.site.idle()]);
    expect(await row(victim)).toBeUndefined();
    expect(mailTo(victim)).toHaveLength(0);
  });

  it('any web address or domain in a name is refused; ordinary names (dots and all) are taken', async () => {
    const refused = [
      'evil.example',
      'Claim yours at evil.example today',
      'www.evil',
      'win@evil.example',
      'http://203.0.113.7/claim',
      '203.0.113.7',
      'ｅｖｉｌ．ｅｘａｍｐｌｅ',
      'evil。example',
      'Ann (bit.ly/x)',
    ];
    for (const [i, name] of refused.entries()) {
      const res = await fetch(`${a.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `refused-${i}@reader-mail.example`, name }),
      });
      expect(res.status, name).toBe(400);
      expect(await row(`refused-${i}@reader-mail.example`), name).toBeUndefined();
    }
    const taken = ['Ann', 'Dr. Ann', 'J.R.R.', 'Zoë', 'Mary-Jane', "O'Neil", 'Ann Marie'];
    for (const [i, name] of taken.entries()) {
      const res = await fetch(`${a.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `taken-${i}@reader-mail.example`, name }),
      });
      expect(res.status, name).toBe(200);
      expect(await row(`taken-${i}@reader-mail.example`), name).toMatchObject({ name, status: 'pending' });
    }
    await a.site.idle();
  });

  it('the confirmation carries nothing the requester typed: no name in To: or in the greeting', async () => {
    const email = 'named@reader-mail.example';
    expect((await form(`${a.url}/subscribe`, { email, name: 'Mallory' })).status).toBe(200);
    const [confirmation] = await a.mailTo(email);
    expect(rawHeader(confirmation!.raw, 'To')).toBe(email);
    expect(confirmation!.parsed.text).toContain('Hi there,');
    expect(confirmation!.raw).not.toContain('Mallory');
    // Stored all the same, for after they confirm.
    expect(await row(email)).toMatchObject({ name: 'Mallory' });
    // `newsletter render confirm` (and the studio) show the confirmation as readers get it.
    const rendered = await runCli(['render', 'confirm', '--text', '--email', email], a.temp.dir, env(), a.clock.now());
    expect(rendered.stdout).toContain('Hi there,');
    expect(rendered.stdout).not.toContain('Mallory');
  });

  it('at most 3 confirmations to an address in a rolling day, across site processes, with the same answer every time', async () => {
    const email = 'mailbombed@reader-mail.example';
    const start = new Date('2026-03-03T08:00:00Z').getTime();
    const at = (ms: number) => {
      a.clock.set(new Date(ms));
      b.clock.set(new Date(ms));
    };
    const answers = new Set<string>();
    // Every 10 minutes for a day (144 requests), alternating between the two processes.
    for (let i = 0; i < 144; i++) {
      at(start + i * 10 * MINUTE);
      const res = await form(`${(i % 2 ? b : a).url}/subscribe`, { email, name: 'Not Mallory' });
      answers.add(`${res.status} ${await res.text()}`);
      await (i % 2 ? b : a).site.idle();
    }
    expect([...answers].map((x) => x.slice(0, 3))).toEqual(['200']);
    expect(answers.size).toBe(1);
    expect(mailTo(email)).toHaveLength(3);
    // A day after the first, the rolling window has room for one more.
    at(start + DAY + MINUTE);
    expect((await form(`${a.url}/subscribe`, { email })).status).toBe(200);
    await a.site.idle();
    expect(mailTo(email)).toHaveLength(4);
  });

  it('`subscribers add --name` and import apply the same rule: add exits 1 saying why, import reports the line and imports the rest', async () => {
    const cli = (...args: string[]) => runCli(args, a.temp.dir, env(), a.clock.now());
    const add = await cli('subscribers', 'add', 'cli@reader-mail.example', '--name', ADVERT);
    expect(add.code).toBe(1);
    expect(add.stderr).toContain(`the name: ${REFUSED}`);
    expect(await row('cli@reader-mail.example')).toBeUndefined();

    await writeFile(
      path.join(a.temp.dir, 'names.csv'),
      [
        'email,name,timezone',
        'one@reader-mail.example,One,',
        `two@reader-mail.example,"${ADVERT}",`,
        'three@reader-mail.example,Three,',
      ].join('\n'),
    );
    const imported = await cli('subscribers', 'import', 'names.csv');
    expect(imported.code).toBe(1);
    expect(imported.stdout).toMatch(/^imported 2, .*rejected 1 \(3 data lines\)/);
    expect(imported.stderr.split('\n')).toContain(`names.csv:3: two@reader-mail.example: the name: ${REFUSED}`);
    expect(await row('one@reader-mail.example')).toMatchObject({ name: 'One', status: 'active' });
    expect(await row('two@reader-mail.example')).toBeUndefined();
    expect(await row('three@reader-mail.example')).toMatchObject({ name: 'Three', status: 'active' });
  });
});
