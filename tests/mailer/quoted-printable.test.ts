import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeTipMessage, senderFor } from '../../src/mailer/compose.ts';
import type { OutgoingMessage } from '../../src/mailer/mailer.ts';
import { createThreadedSmtpMailer } from '../../src/mailer/threaded-smtp-mailer.ts';
import { fill, toFillable } from '../../src/render/personalise.ts';
import { loadProject } from '../../src/render/project.ts';
import { encodeChunk, fillEncoded } from '../../src/mailer/quoted-printable.ts';
import { subscriberLinks } from '../../src/subscription/links.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';

/** Decodes a quoted-printable body as a mail client would: through mailparser. */
async function decode(body: string, type: 'text/plain' | 'text/html'): Promise<string> {
  const parsed = await simpleParser(
    `Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${body}`,
  );
  return (type === 'text/html' ? parsed.html : parsed.text) || '';
}

/** Every line within RFC 2045's 76 characters, CRLF only, no whitespace right before a hard line end. */
function expectWellFormed(body: string) {
  expect(body).not.toMatch(/\r(?!\n)|(?<!\r)\n/);
  for (const line of body.split('\r\n')) {
    expect(line.length).toBeLessThanOrEqual(76);
    expect(line).not.toMatch(/[ \t]$/);
    expect(line).toMatch(/^[\x21-\x7e \t]*$/);
  }
}

/** Texts that trip a quoted-printable join: whitespace at piece ends, '=', dots, long words, non-ASCII split across a line end. */
const awkward = [
  'Hi Zoë,',
  'ends with spaces   ',
  '\tstarts with a tab',
  '=3D is not an escape here, nor is =',
  '.a line that starts with a dot\n.and another',
  'x'.repeat(200),
  'https://news.example.org/f?token=a.b&answer=yes&x='.repeat(6),
  '=='.repeat(100),
  `${'long line, '.repeat(20)}\nthen a short one`,
  'é'.repeat(120),
  '🦵 night cramps 💤 '.repeat(12),
  'line one\nline two\r\nline three\n',
  '\n\n',
  '<a href="https://news.example.org/unsubscribe?token=abc.def-ghi_jkl&amp;x=1">unsubscribe</a>',
];

describe('quoted-printable bodies encoded once per email', () => {
  it('decode to exactly the text, however pieces and values join', async () => {
    // Each awkward text as a piece and as a value, next to every other one.
    for (const piece of awkward) {
      for (const value of awkward) {
        const f = toFillable(`${piece}%%ncw:greeting%%${piece}%%ncw:unsubscribeUrl%%`);
        const values = { greeting: value, unsubscribeUrl: `${value}!` };
        for (const escape of [false, true]) {
          const encoded = fillEncoded(f, values, escape);
          expectWellFormed(encoded);
          const expected = fill(f, values, escape);
          const type = escape ? 'text/html' : 'text/plain';
          const decoded = await decode(encoded, type);
          // mailparser gives line ends as LF, and the text part without a trailing line end.
          const want = expected.replace(/\r\n?/g, '\n');
          expect(
            type === 'text/plain' ? decoded.replace(/\n$/, '') : decoded,
            JSON.stringify({ piece, value, escape }),
          ).toBe(type === 'text/plain' ? want.replace(/\n$/, '') : want);
        }
      }
    }
  });

  it('never ends a body with bare whitespace, when the last value ends in a space', async () => {
    const f = toFillable('Hi %%ncw:greeting%%');
    const encoded = fillEncoded(f, { greeting: 'Ann  ' }, false);
    expectWellFormed(encoded);
    expect(await decode(encoded, 'text/plain')).toBe('Hi Ann  ');
  });

  it('encode a chunk to the start of a line, so the next chunk joins cleanly', () => {
    expect(encodeChunk('')).toBe('');
    expect(encodeChunk('abc')).toBe('abc=\r\n');
    expect(encodeChunk('abc\n')).toBe('abc\r\n');
    expect(encodeChunk('a \nb ')).toBe('a=20\r\nb=20=\r\n');
  });
});

describe('a tip sent with its pre-encoded bodies', () => {
  let tp: TempProject;
  let sink: SmtpSink;
  beforeAll(async () => {
    tp = await tempProject({ NEWSLETTER_BASE_URL: 'https://news.example.org' });
    sink = await startSmtpSink();
  });
  afterAll(async () => {
    await sink.close();
    await tp.cleanup();
  });

  it('reads exactly as the same tip encoded by nodemailer, for awkward names', async () => {
    const project = await loadProject(tp.config);
    const tip = project.tips[0]!;
    const compiled = await project.renderer.compileTip(tip);
    const sender = senderFor(project.series);
    const mailer = createThreadedSmtpMailer({ url: sink.url, pool: 2 });
    const names = ['Zoë <b>&amp;"', '  spaced   name  ', '.dot', '=3D', 'Ann', null, '李小龍'];
    try {
      for (const [i, name] of names.entries()) {
        const links = subscriberLinks(
          'https://news.example.org',
          'qp-test-secret-0123456789abcdef0123',
          `pub${i}`,
          new Date('2026-11-29T12:00:00Z'),
          tip.slug,
        );
        const finished = project.renderer.personalise(compiled, { name, ...links });
        const parts = project.renderer.personaliseParts(compiled, { name, ...links });
        const ids = { unsubscribeUrl: links.unsubscribeUrl, slug: tip.slug };
        const pre: OutgoingMessage = composeTipMessage(parts, { email: `pre${i}@example.org`, name }, sender, {
          ...ids,
          messageId: `<pre.${i}@example.org>`,
        });
        expect(pre.encoded).toBeDefined();
        expect(pre.html).toBeUndefined();
        const bare: OutgoingMessage = composeTipMessage(finished, { email: `bare${i}@example.org`, name }, sender, {
          ...ids,
          messageId: `<bare.${i}@example.org>`,
        });
        await Promise.all([mailer.send(pre), mailer.send(bare)]);
        const got = (to: string) => sink.received.find((m) => m.envelopeTo[0] === to)!;
        const a = got(`pre${i}@example.org`);
        const b = got(`bare${i}@example.org`);
        // As written (7bit), the HTML is the same document: a space made a line break, a character
        // outside ASCII a numeric reference (src/render/wire-lines.ts); in quoted-printable, the same text.
        const asWire = (html: string) => html.replace(/[^\t\n\x20-\x7e]/gu, (c) => `&#${c.codePointAt(0)};`);
        const read = (html: string | false | undefined) => (html || '').replace(/\r?\n/g, ' ');
        const expected = /^[\x20-\x7e]*$/.test(name ?? '') ? asWire(finished.html) : finished.html;
        expect(read(a.parsed.html)).toBe(expected);
        expect(b.parsed.html).toBe(finished.html);
        expect(a.parsed.text).toBe(b.parsed.text);
        expect(a.parsed.subject).toBe(b.parsed.subject);
        expect(a.parsed.to).toEqual(
          expect.objectContaining({
            text: b.parsed.to && !Array.isArray(b.parsed.to) ? b.parsed.to.text.replace('bare', 'pre') : '',
          }),
        );
        // The HTML goes as written (7bit) when the reader's name is ASCII, else in quoted-printable;
        // the text part always in quoted-printable.
        const encodingOf = (type: string) =>
          new RegExp(`Content-Type: ${type}; charset=utf-8\r\nContent-Transfer-Encoding: (\\S+)`).exec(a.raw)?.[1];
        expect(encodingOf('text/html'), String(name)).toBe(
          /^[\x20-\x7e]*$/.test(name ?? '') ? '7bit' : 'quoted-printable',
        );
        expect(encodingOf('text/plain')).toBe('quoted-printable');
        for (const line of a.raw.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
        expect(a.raw).toMatch(/^Content-Type: multipart\/alternative;/m);
      }
    } finally {
      await mailer.close();
    }
  });
});
