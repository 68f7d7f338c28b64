import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/subscription/tokens.ts';
import { addressHash } from '../../src/subscription/address.ts';
import { TIMEZONE_SCRIPT, TIMEZONE_SCRIPT_HASH } from '../../src/web/assets.ts';
import { invalidAddresses } from '../subscription/invalid-addresses.ts';
import { signV1Token } from '../support/v1-token.ts';
import { form, type Harness, linkIn, onSite, SECRET, subscribeAndConfirm, useHarness } from './harness.ts';

const DAY = 86_400_000;

async function countRows(h: Harness): Promise<number> {
  const r = await h.db
    .selectFrom('subscribers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

describe('bad input and abuse', () => {
  const h = useHarness();

  it('refuses every invalid address with a 400 that says what to fix, stores nothing, sends nothing', async () => {
    const before = await countRows(h);
    for (const email of invalidAddresses) {
      const res = await form(`${h.url}/subscribe`, { email, name: 'X' });
      expect(res.status, JSON.stringify(email)).toBe(400);
      const page = await res.text();
      expect(page).toContain('role="alert"');
      expect(page).toContain('aria-invalid="true"');
      const json = await fetch(`${h.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      expect(json.status).toBe(400);
      expect(await json.json()).toMatchObject({ ok: false, error: 'invalid-email' });
    }
    expect(await countRows(h)).toBe(before);
    await h.site.idle();
    expect(h.sink.received).toHaveLength(0);
  });

  it('an international domain is accepted as typed by form and JSON alike, and is one reader with its punycode form', async () => {
    const json = await fetch(`${h.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'leser@bücher.de' }),
    });
    expect(json.status).toBe(200);
    const viaForm = await form(`${h.url}/subscribe`, { email: 'leser@xn--bcher-kva.de' });
    expect(viaForm.status).toBe(200);
    await h.site.idle();
    const rows = await h.db
      .selectFrom('subscribers')
      .select(['email', 'email_normalized'])
      .where('email_normalized', '=', 'leser@xn--bcher-kva.de')
      .execute();
    expect(rows).toEqual([{ email: 'leser@bücher.de', email_normalized: 'leser@xn--bcher-kva.de' }]);
    // One confirmation (the second request is within the resend window), sent to the ASCII form.
    // smtp-server shows envelope domains in Unicode; the header shows what was written.
    const [sent] = await h.mailTo('leser@bücher.de');
    expect(sent!.raw).toMatch(/^To: leser@xn--bcher-kva\.de\r?$/m);
    expect(h.sink.received.filter((m) => m.envelopeTo.includes('leser@bücher.de'))).toHaveLength(1);
  });

  it('header injection: a@b.c\\r\\nBcc: x@y.z is refused and nothing reaches x@y.z', async () => {
    const injected = 'a@b.c\r\nBcc: x@y.z';
    const res = await form(`${h.url}/subscribe`, { email: injected });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('An email address cannot contain line breaks.');
    const json = await fetch(`${h.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: injected, name: 'Eve\r\nBcc: x@y.z' }),
    });
    expect(json.status).toBe(400);
    await h.site.idle();
    expect(h.sink.received.flatMap((m) => m.envelopeTo)).not.toContain('x@y.z');
    expect(await h.subscriber('a@b.c')).toBeUndefined();
  });

  it('a control character in the name never reaches a header', async () => {
    const email = 'crlf-name@example.org';
    await form(`${h.url}/subscribe`, { email, name: 'Eve\r\nBcc: x@y.z' });
    const [mail] = await h.mailTo(email);
    expect(mail!.envelopeTo).toEqual([email]);
    expect(mail!.raw).not.toMatch(/^Bcc:/im);
    expect((await h.subscriber(email))!.name).toBe('Eve Bcc: x@y.z');
  });

  it('a 1 MB body gets 413 and changes nothing', async () => {
    const body = `email=big%40example.org&name=${'a'.repeat(1024 * 1024)}`;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${h.url}/subscribe`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(413);
    expect(await h.subscriber('big@example.org')).toBeUndefined();
  });

  it('refuses bodies it cannot read with a clear 4xx', async () => {
    const unsupported = await fetch(`${h.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml' },
      body: '<email>x@example.org</email>',
    });
    expect(unsupported.status).toBe(415);
    const broken = await fetch(`${h.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ ok: false });
    const notString = await fetch(`${h.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: ['a@example.org', 'b@example.org'] }),
    });
    expect(notString.status).toBe(400);
  });

  it('a <script> name comes out escaped in pages and emails', async () => {
    const name = '<script>alert("x")</script>';
    // Echoed on the form when the address is wrong.
    const again = await form(`${h.url}/subscribe`, { email: '"><script>alert(1)</script>', name });
    const page = await again.text();
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');

    const email = 'script-name@example.org';
    const { confirmation, welcome } = await subscribeAndConfirm(h, email, { name });
    for (const mail of [confirmation, welcome]) expect(mail.parsed.html).not.toContain('<script');
    // The confirmation carries no name at all; once confirmed, the welcome greets them, escaped.
    expect(confirmation.parsed.html).not.toContain('alert');
    expect(confirmation.parsed.text).not.toContain('alert');
    expect(welcome.parsed.html).toContain('&lt;script&gt;');
    expect(welcome.parsed.text).toContain(`Hi ${name},`);
    const prefs = await (await fetch(onSite(h, linkIn(welcome.parsed, 'preferences')))).text();
    expect(prefs).not.toContain('<script>alert');
    expect(prefs).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"');
    // The only script on any page is the time zone script.
    expect(prefs.match(/<script/g)).toHaveLength(1);
  });

  describe('signed links that do not verify: a clear 4xx page, nothing changes', () => {
    const email = 'tokens@example.org';
    let confirmLink = '';
    let publicId = '';
    beforeAll(async () => {
      await form(`${h.url}/subscribe`, { email });
      const [mail] = await h.mailTo(email);
      confirmLink = linkIn(mail!.parsed, 'confirm');
      publicId = (await h.subscriber(email))!.publicId;
    });

    const token = () => new URL(confirmLink).searchParams.get('token')!;
    const cases: [string, () => string, number, string][] = [
      [
        'forged (another key)',
        () => signToken('another-secret-that-is-at-least-32-bytes!!', 'confirm', publicId, h.clock.now()),
        400,
        'This link is not valid',
      ],
      [
        'forged (changed subject)',
        () => {
          const [head, , sig] = token().split('.');
          return `${head}.someone-else.${sig}`;
        },
        400,
        'This link is not valid',
      ],
      [
        'forged (changed subject of a v1 link, as sent before v2)',
        () => {
          const sig = signV1Token(SECRET, 'confirm', publicId, h.clock.now()).split('.')[1];
          return `${Buffer.from(JSON.stringify({ p: 'confirm', s: 'someone-else', e: 4102444800 })).toString('base64url')}.${sig}`;
        },
        400,
        'This link is not valid',
      ],
      [
        'wrong purpose (a v1 link, as sent before v2)',
        () => signV1Token(SECRET, 'unsubscribe', publicId, h.clock.now()),
        400,
        'This link is for another page',
      ],
      ['truncated', () => token().slice(0, Math.floor(token().length / 2)), 400, 'This link is not'],
      ['truncated at the dot', () => token().split('.')[0]!, 400, 'This link is not complete'],
      [
        'wrong purpose',
        () => signToken(SECRET, 'unsubscribe', publicId, h.clock.now()),
        400,
        'This link is for another page',
      ],
      [
        'expired',
        () => signToken(SECRET, 'confirm', publicId, new Date(h.clock.now().getTime() - 8 * DAY)),
        410,
        'This link has expired',
      ],
      ['garbage', () => '%%%', 400, 'This link is not complete'],
      ['empty', () => '', 400, 'This link is not complete'],
    ];

    it.each(cases)('%s', async (_label, make, status, title) => {
      const url = `${h.url}/confirm?token=${encodeURIComponent(make())}`;
      for (const method of ['GET', 'POST']) {
        const res = await fetch(url, { method });
        expect(res.status, method).toBe(status);
        const page = await res.text();
        expect(page).toContain(title);
        expect(page).toContain('href="/"');
      }
      expect((await h.subscriber(email))!.status).toBe('pending');
    });

    it('a missing or repeated token is malformed', async () => {
      expect((await fetch(`${h.url}/confirm`, { method: 'POST' })).status).toBe(400);
      expect((await fetch(`${h.url}/confirm?token=${token()}&token=${token()}`, { method: 'POST' })).status).toBe(400);
      expect((await h.subscriber(email))!.status).toBe('pending');
    });

    it('forged unsubscribe and preferences links change nothing either', async () => {
      const forged = encodeURIComponent(
        signToken('another-secret-that-is-at-least-32-bytes!!', 'unsubscribe', publicId, h.clock.now()),
      );
      expect((await form(`${h.url}/unsubscribe?token=${forged}`, { 'List-Unsubscribe': 'One-Click' })).status).toBe(
        400,
      );
      const wrong = encodeURIComponent(signToken(SECRET, 'confirm', publicId, h.clock.now()));
      expect((await form(`${h.url}/preferences?token=${wrong}`, { action: 'delete', confirm: 'yes' })).status).toBe(
        400,
      );
      expect((await form(`${h.url}/unsubscribe?token=${wrong}`, { 'List-Unsubscribe': 'One-Click' })).status).toBe(400);
      expect((await h.subscriber(email))!.status).toBe('pending');
    });

    it('the real link, after 7 days, has expired', async () => {
      const at = h.clock.now();
      h.clock.advance(7 * DAY + 1000);
      try {
        const res = await fetch(onSite(h, confirmLink), { method: 'POST' });
        expect(res.status).toBe(410);
        expect((await h.subscriber(email))!.status).toBe('pending');
      } finally {
        h.clock.set(at);
      }
      // ...and worked before.
      expect((await fetch(onSite(h, confirmLink), { method: 'POST' })).status).toBe(200);
      expect((await h.subscriber(email))!.status).toBe('active');
    });
  });

  it('two confirmations at once: both answered, one welcome', async () => {
    const email = 'twice@example.org';
    await form(`${h.url}/subscribe`, { email });
    const [mail] = await h.mailTo(email);
    const link = onSite(h, linkIn(mail!.parsed, 'confirm'));
    const answers = await Promise.all([1, 2, 3, 4].map(() => fetch(link, { method: 'POST' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    await h.mailTo(email, 2);
    await h.site.idle();
    const subjects = h.sink.received.filter((m) => m.envelopeTo.includes(email)).map((m) => m.parsed.subject);
    expect(subjects).toEqual(['Please confirm: Night Cramp Weekly', 'Welcome to Night Cramp Weekly']);
    // Confirming again later is harmless too.
    expect((await fetch(link, { method: 'POST' })).status).toBe(200);
    await h.site.idle();
    expect(h.sink.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(2);
  });

  it('the same answer for a new, pending, active, unsubscribed, erased, bounced and removed address', async () => {
    await subscribeAndConfirm(h, 'known-active@example.org');
    await form(`${h.url}/subscribe`, { email: 'known-pending@example.org' });
    const { welcome } = await subscribeAndConfirm(h, 'known-left@example.org');
    await form(onSite(h, linkIn(welcome.parsed, 'unsubscribe')), { 'List-Unsubscribe': 'One-Click' });
    await h.store.suppress(addressHash('known-bounced@example.org'), 'bounced', h.clock.now().getTime());
    await h.store.suppress(addressHash('known-erased@example.org'), 'erased', h.clock.now().getTime());
    await h.store.suppress(addressHash('known-removed@example.org'), 'operator', h.clock.now().getTime());
    await h.site.idle();

    const answers = new Set<string>();
    const jsonAnswers = new Set<string>();
    for (const email of [
      'brand-new@example.org',
      'known-pending@example.org',
      'known-active@example.org',
      'known-left@example.org',
      'known-bounced@example.org',
      'known-erased@example.org',
      'known-removed@example.org',
    ]) {
      const res = await form(`${h.url}/subscribe`, { email });
      answers.add(`${res.status} ${await res.text()}`);
      const json = await fetch(`${h.url}/subscribe`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email }),
      });
      jsonAnswers.add(`${json.status} ${await json.text()}`);
    }
    expect(answers.size).toBe(1);
    expect([...answers][0]).toMatch(/^200 /);
    expect(jsonAnswers.size).toBe(1);
    await h.site.idle();
    // An operator's removal gets nothing; a bounced address gets one confirmation (its owner may
    // come back by confirming); the others got what the rules allow.
    const to = h.sink.received.flatMap((m) => m.envelopeTo);
    expect(to).not.toContain('known-removed@example.org');
    expect(to.filter((a) => a === 'known-bounced@example.org')).toHaveLength(1);
  });

  it('a pending address gets at most one confirmation per 10 minutes', async () => {
    const email = 'patience@example.org';
    const start = h.clock.now();
    try {
      for (let i = 0; i < 3; i++) expect((await form(`${h.url}/subscribe`, { email })).status).toBe(200);
      await h.mailTo(email, 1);
      h.clock.advance(9 * 60_000);
      await form(`${h.url}/subscribe`, { email });
      await h.site.idle();
      expect(h.sink.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(1);
      h.clock.advance(60_000);
      await form(`${h.url}/subscribe`, { email });
      await h.mailTo(email, 2);
      await h.site.idle();
      expect(h.sink.received.filter((m) => m.envelopeTo.includes(email))).toHaveLength(2);
    } finally {
      h.clock.set(start);
    }
  });

  it('the honeypot: a filled hidden field gets the usual answer and nothing else', async () => {
    const res = await form(`${h.url}/subscribe`, { email: 'bot@example.org', website: 'http://spam.example' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Check your inbox');
    expect(await h.subscriber('bot@example.org')).toBeUndefined();
  });

  it('GET /healthz answers {"ok":true}', async () => {
    const res = await fetch(`${h.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('every page carries the security headers; the one inline script is allowed by its hash', async () => {
    for (const path of ['/', '/nope', '/confirm?token=x']) {
      const res = await fetch(`${h.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain(`script-src '${TIMEZONE_SCRIPT_HASH}'`);
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      const page = await res.text();
      expect(page).toContain(`<script>${TIMEZONE_SCRIPT}</script>`);
      // No third-party assets (the canonical link names the site's own public address).
      expect(page).not.toMatch(/<(?:script|img|iframe|link(?! rel="canonical"))[^>]*(src|href)="(https?:)?\/\//);
      expect(page.replace(/<link rel="canonical" href="[^"]*">/, '')).not.toMatch(/(src|href)="(https?:)?\/\//);
    }
    expect((await fetch(`${h.url}/nope`)).status).toBe(404);
  });
});

describe('rate limits', () => {
  const h = useHarness({
    limits: { subscribePerIp: { max: 5, windowMs: 60_000 }, subscribePerAddress: { max: 3, windowMs: 60_000 } },
  });

  it('per address: the 4th request for one address in the window gets 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await form(`${h.url}/subscribe`, { email: 'Same@Example.org' })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('a flood from one IP gets 429 with Retry-After, as a page or as JSON', async () => {
    const answers: Response[] = [];
    for (let i = 0; i < 3; i++) answers.push(await form(`${h.url}/subscribe`, { email: `flood${i}@example.org` }));
    // 4 + 3 = 7 requests from this IP: the 6th and 7th are over the limit of 5.
    expect(answers.map((a) => a.status)).toEqual([200, 429, 429]);
    const limited = answers[2]!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toContain('Please slow down');
    const json = await fetch(`${h.url}/subscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'flood9@example.org' }),
    });
    expect(json.status).toBe(429);
    expect(json.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await json.json()).toMatchObject({ ok: false, error: 'rate-limited' });
    expect(await h.subscriber('flood2@example.org')).toBeUndefined();
  });
});
