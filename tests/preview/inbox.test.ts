import { describe, expect, it } from 'vitest';
import { checkEmail } from '../../src/render/email-checks.ts';

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
