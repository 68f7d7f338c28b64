import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { outboxName, createOutboxMailer } from '../../src/mailer/outbox-mailer.ts';
import { checkEmail } from '../../src/render/email-checks.ts';
import { useTempProject } from '../support/use-resource.ts';

const page = (href: string) => ({
  subject: 'A subject that is fine',
  preheader: 'A preheader of a good length for the inbox preview line.',
  html: `<!doctype html><html lang="en"><head><title>T</title></head><body><table role="presentation"><tr><td><a href="${href}">Confirm</a></td></tr></table></body></html>`,
  text: 'Confirm',
});
const linkProblems = (href: string, baseUrl: string) =>
  checkEmail(page(href), { baseUrl }).filter((p) => p.check === 'link');

describe('the dev inbox judges links against the configured base URL', () => {
  it('accepts http links to the configured site in development', () => {
    expect(linkProblems('http://localhost:3000/confirm?token=abc', 'http://localhost:3000')).toEqual([]);
    expect(linkProblems('http://localhost:3100/confirm?token=abc', 'http://localhost:3100')).toEqual([]);
  });

  it('says what to do (a warning, not an error) when a local site used another port', () => {
    const [p] = linkProblems('http://localhost:3917/confirm?token=abc', 'http://localhost:3000');
    expect(p).toMatchObject({ severity: 'warning' });
    expect(p!.message).toContain(
      'configured base URL is http://localhost:3000: give the site and this command the same PORT or NEWSLETTER_BASE_URL',
    );
  });

  it('still refuses plain http elsewhere, and a look-alike host', () => {
    expect(linkProblems('http://news.example.net/x', 'https://news.example.org')[0]).toMatchObject({
      severity: 'error',
    });
    expect(linkProblems('https://news.example.org.evil.test/x', 'https://news.example.org')).toEqual([]);
    expect(linkProblems('http://news.example.org.evil.test/x', 'http://news.example.org')[0]).toMatchObject({
      severity: 'error',
    });
  });
});

describe('outbox file names', () => {
  const tp = useTempProject();

  it("keep the Message-ID's local part and cut long ones between words, never inside one", async () => {
    expect(outboxName('<ncw.welcome.abc@night-cramp-weekly.example>')).toBe('ncw.welcome.abc');
    const long = `<ncw.tip.${'a'.repeat(60)}.stop-it-in-its-tracks.cycle-0@night-cramp-weekly.example>`;
    const name = outboxName(long);
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toBe(`ncw.tip.${'a'.repeat(60)}.stop-it-in`);
    expect(`${long.slice(1)}`.startsWith(name)).toBe(true);
    expect(long.slice(1 + name.length, 2 + name.length)).toMatch(/[._-]/);

    const mailer = createOutboxMailer(tp.config.outboxDir, () => new Date('2026-11-29T12:00:00Z'));
    await mailer.send({
      to: 'a@example.org',
      toName: null,
      from: 'N <n@night-cramp-weekly.example>',
      subject: 'S',
      html: '<p>x</p>',
      text: 'x',
      messageId: '<ncw.confirm.KpAhCnm3d_GjdXUeE_aPTw.1795956560998@night-cramp-weekly.example>',
    });
    expect(await readdir(tp.config.outboxDir)).toEqual([
      '2026-11-29T12-00-00-000Z-000-ncw.confirm.KpAhCnm3d_GjdXUeE_aPTw.1795956560998.eml',
    ]);
  });
});
