import { createHash, generateKeyPairSync, verify, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { describeEachEngine } from '../support/engines.ts';
import { useRelayFixture } from './relay-fixture.ts';

/**
 * Issue 24 §2, headers: every tip carries Gmail's `Feedback-ID`, and with NEWSLETTER_CFBL_ADDRESS
 * RFC 9477's `CFBL-Address` and a signed `CFBL-Feedback-ID`, all three covered by the DKIM
 * signature; a complaint (ARF) sent to that address is matched to the reader by the
 * CFBL-Feedback-ID even when the provider redacted the recipient and dropped the Message-ID.
 */
const T = Date.UTC(2026, 2, 2, 19);
const CFBL = 'fbl@night-cramp-weekly.example';

interface Field {
  name: string;
  /** The whole field as sent, continuation lines included, without the final CRLF. */
  raw: string;
}

function split(raw: string): { fields: Field[]; body: string } {
  const at = raw.indexOf('\r\n\r\n');
  const fields: Field[] = [];
  for (const line of raw.slice(0, at).split('\r\n')) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1]!.raw += `\r\n${line}`;
    else fields.push({ name: line.slice(0, line.indexOf(':')).toLowerCase(), raw: line });
  }
  return { fields, body: raw.slice(at + 4) };
}

const value = (f: Field) =>
  f.raw
    .slice(f.raw.indexOf(':') + 1)
    .replace(/\r\n/g, '')
    .trim();

/** RFC 6376 3.4.2: relaxed header canonicalization. */
const relaxedHeader = (f: Field) =>
  `${f.name}:${f.raw
    .slice(f.raw.indexOf(':') + 1)
    .replace(/\r\n/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim()}`;

/** RFC 6376 3.4.4: relaxed body canonicalization. */
function relaxedBody(body: string): string {
  const lines = body.split('\r\n').map((l) => l.replace(/[ \t]+/g, ' ').replace(/ $/, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.length ? `${lines.join('\r\n')}\r\n` : '';
}

/** Verifies the message's DKIM signature (rsa-sha256, relaxed/relaxed) against `key`; the signed fields. */
function verifyDkim(raw: string, key: KeyObject): string[] {
  const { fields, body } = split(raw);
  const signature = fields.find((f) => f.name === 'dkim-signature');
  if (!signature) throw new Error('no DKIM-Signature');
  const tags = new Map(
    value(signature)
      .split(';')
      .map((t) => t.trim())
      .filter(Boolean)
      .map((t) => [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1).replace(/\s+/g, '')] as const),
  );
  expect(tags.get('c')).toBe('relaxed/relaxed');
  expect(createHash('sha256').update(relaxedBody(body)).digest('base64')).toBe(tags.get('bh'));
  const signed = tags.get('h')!.toLowerCase().split(':');
  const used = new Set<Field>();
  const lines: string[] = [];
  for (const name of signed) {
    const field = fields.filter((f) => f.name === name && !used.has(f)).pop();
    if (!field) continue;
    used.add(field);
    lines.push(`${relaxedHeader(field)}\r\n`);
  }
  const unsigned = { ...signature, raw: signature.raw.replace(/(\bb=)[^;]*$/, '$1') };
  const data = lines.join('') + relaxedHeader(unsigned);
  expect(verify('RSA-SHA256', Buffer.from(data, 'latin1'), key, Buffer.from(tags.get('b')!, 'base64'))).toBe(true);
  return signed;
}

describeEachEngine('Feedback-ID and CFBL on every tip', (engine) => {
  const f = useRelayFixture(engine);
  let publicKey: KeyObject;
  let env: Record<string, string>;

  beforeAll(async () => {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    publicKey = pair.publicKey;
    await writeFile(path.join(f.tp.dir, 'dkim.pem'), pair.privateKey.export({ type: 'pkcs1', format: 'pem' }));
    env = {
      NEWSLETTER_DKIM_DOMAIN: 'night-cramp-weekly.example',
      NEWSLETTER_DKIM_SELECTOR: 'ncw2026',
      NEWSLETTER_DKIM_KEY_FILE: 'dkim.pem',
      NEWSLETTER_FROM: 'Night Cramp Weekly <tips@night-cramp-weekly.example>',
    };
  });

  it("without NEWSLETTER_CFBL_ADDRESS: a Feedback-ID in Gmail's a:b:c:SenderId form, signed; no CFBL fields", async () => {
    await f.readers([{ email: 'plain@example.org', nextSendAt: T }]);
    expect((await f.cli(['send', '--at', new Date(T).toISOString()], T, env)).code).toBe(0);
    const [mail] = f.sink.received;
    const { fields } = split(mail!.raw);
    const feedbackId = value(fields.find((x) => x.name === 'feedback-id')!);
    const [slug, list, domain, senderId] = feedbackId.split(':');
    expect(slug).toBe(mail!.raw.match(/^X-Newsletter-Tip: (.+)$/m)![1]!.trim());
    expect(list).toMatch(/^[a-z0-9-]+$/);
    expect(domain).toBe('night-cramp-weekly.example');
    // Google: a SenderId of 5 to 15 characters, the same across the stream; nothing about the reader.
    expect(senderId).toMatch(/^ncw[0-9a-f]{10}$/);
    expect(feedbackId).not.toContain('plain');
    expect(fields.some((x) => x.name.startsWith('cfbl-'))).toBe(false);
    expect(verifyDkim(mail!.raw, publicKey)).toContain('feedback-id');
  });

  it('with NEWSLETTER_CFBL_ADDRESS: CFBL-Address and CFBL-Feedback-ID, DKIM-signed; an ARF sent there with the recipient redacted finds the reader', async () => {
    const [id] = await f.readers([{ email: 'reporter@example.org', nextSendAt: T }]);
    await f.readers([{ email: 'other@example.org', nextSendAt: T }]);
    expect(
      (await f.cli(['send', '--at', new Date(T).toISOString()], T, { ...env, NEWSLETTER_CFBL_ADDRESS: CFBL })).code,
    ).toBe(0);
    const mail = f.sink.received.find((m) => m.envelopeTo.includes('reporter@example.org'))!;
    const { fields } = split(mail.raw);
    expect(value(fields.find((x) => x.name === 'cfbl-address')!)).toBe(CFBL);
    const feedbackId = value(fields.find((x) => x.name === 'cfbl-feedback-id')!);
    expect(feedbackId).toMatch(/^[a-z0-9]+-[a-z0-9]+-[0-9a-f]{24}$/);
    expect(feedbackId).not.toContain('reporter');
    const signed = verifyDkim(mail.raw, publicKey);
    expect(signed).toEqual(expect.arrayContaining(['feedback-id', 'cfbl-address', 'cfbl-feedback-id']));

    // The provider's report to the CFBL address: the original's header only, its recipient
    // redacted and its Message-ID left out (RFC 9477 3.2 keeps CFBL-Feedback-ID).
    const original = fields
      .filter((x) => !['to', 'message-id', 'dkim-signature'].includes(x.name))
      .map((x) => x.raw)
      .join('\r\n');
    const report = [
      'From: Feedback Loop <fbl@mailbox-provider.example>',
      `To: ${CFBL}`,
      'Subject: complaint',
      'Message-ID: <report-1@mailbox-provider.example>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain',
      '',
      'A user marked this message as spam.',
      '--b1',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      'User-Agent: Provider-FBL/1.0',
      'Version: 1',
      '',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      `${original}\r\nTo: redacted@mailbox-provider.example`,
      '',
      '--b1--',
      '',
    ].join('\r\n');
    const file = path.join(f.tp.dir, 'cfbl-report.eml');
    await writeFile(file, report);
    const ingest = await f.cli(['bounces', 'ingest', file], T + 86_400_000, { NEWSLETTER_CFBL_ADDRESS: CFBL });
    expect(ingest.stdout).toContain('complained');
    expect(ingest.stdout).toContain('found by CFBL-Feedback-ID');
    const reader = await f.db
      .selectFrom('subscribers')
      .select('status')
      .where('id', '=', id!)
      .executeTakeFirstOrThrow();
    expect(reader.status).toBe('complained');
    const events = await f.db.selectFrom('bounce_events').select(['kind', 'subscriber_id', 'delivery_id']).execute();
    expect(events).toEqual([{ kind: 'complaint', subscriber_id: id, delivery_id: expect.any(Number) }]);
  });

  it('a CFBL-Feedback-ID signed with another key is not taken', async () => {
    await f.readers([{ email: 'forged@example.org', nextSendAt: T }]);
    const report = [
      'From: x@mailbox-provider.example',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b1"',
      '',
      '--b1',
      'Content-Type: message/feedback-report',
      '',
      'Feedback-Type: abuse',
      '',
      '--b1',
      'Content-Type: text/rfc822-headers',
      '',
      'CFBL-Feedback-ID: 1-zzzz-0123456789abcdef01234567',
      '',
      '--b1--',
      '',
    ].join('\r\n');
    const file = path.join(f.tp.dir, 'forged.eml');
    await writeFile(file, report);
    const ingest = await f.cli(['bounces', 'ingest', file], T, { NEWSLETTER_CFBL_ADDRESS: CFBL });
    expect(`${ingest.stdout}${ingest.stderr}`).toContain('CFBL-Feedback-ID not signed by this newsletter');
    expect(await f.db.selectFrom('bounce_events').selectAll().execute()).toEqual([]);
  });
});
