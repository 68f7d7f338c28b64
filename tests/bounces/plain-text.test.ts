import { describe, expect, it } from 'vitest';
import { readPlainTextBounce } from '../../src/bounces/plain-text.ts';

/** The other wordings each mail system uses, read without a database (the fixtures go end to end). */
const fields = (text: string, failed?: string) =>
  readPlainTextBounce(text, failed)?.recipients.map((f) => Object.fromEntries(f));

describe('plain-text bounces: the other wordings', () => {
  it('Exchange Online: "Your message to … couldn\'t be delivered." and the quoted headers', () => {
    const bounce = readPlainTextBounce(
      [
        "Your message to reader@reader-mail.example couldn't be delivered.",
        "reader wasn't found at reader-mail.example.",
        '',
        'Diagnostic information for administrators:',
        'Generating server: AM0PR02MB1234.eurprd02.prod.outlook.com',
        'reader@reader-mail.example',
        "Remote server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
        '',
        'Original message headers:',
        '',
        'Message-ID: <week-1.abc@night-cramp.example>',
        'Subject: Stretch your calves before bed',
      ].join('\n'),
    );
    expect(bounce?.mta).toBe('Exchange');
    expect(bounce?.recipients.map((f) => Object.fromEntries(f))).toEqual([
      {
        action: 'failed',
        'final-recipient': 'rfc822; reader@reader-mail.example',
        status: '5.1.10',
        'diagnostic-code':
          "Remote server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'",
      },
    ]);
    expect(bounce?.originalHeaders.get('message-id')).toBe('<week-1.abc@night-cramp.example>');
  });

  it('Exchange 2003: "could not be reached" with the server\'s own #5.1.1', () => {
    expect(
      fields(
        [
          'Your message',
          '',
          '  To:      reader@reader-mail.example',
          '  Subject: Stretch your calves before bed',
          '',
          'did not reach the following recipient(s):',
          '',
          'reader@reader-mail.example on 3/1/2026 7:00 PM',
          '    The e-mail account does not exist at the organization this message was sent to.',
          '    <mail.reader-mail.example #5.1.1>',
        ].join('\n'),
      ),
    ).toEqual([
      {
        action: 'failed',
        'final-recipient': 'rfc822; reader@reader-mail.example',
        status: '5.1.1',
        'diagnostic-code': '<mail.reader-mail.example #5.1.1>',
      },
    ]);
  });

  it('Sendmail: a warning ("transient non-fatal errors") is a delay, not a failure', () => {
    expect(
      fields(
        [
          '    **********************************************',
          '    **      THIS IS A WARNING MESSAGE ONLY      **',
          '    **  YOU DO NOT NEED TO RESEND YOUR MESSAGE  **',
          '    **********************************************',
          '',
          '   ----- The following addresses had transient non-fatal errors -----',
          '<reader@reader-mail.example>',
          '',
          '   ----- Transcript of session follows -----',
          '<reader@reader-mail.example>... Deferred: Connection timed out with mx.reader-mail.example.',
          'Warning: message still undelivered after 4 hours',
        ].join('\n'),
      ),
    ).toEqual([
      {
        action: 'delayed',
        'final-recipient': 'rfc822; reader@reader-mail.example',
        'diagnostic-code':
          '<reader@reader-mail.example>... Deferred: Connection timed out with mx.reader-mail.example.',
      },
    ]);
  });

  it('a reply code without an enhanced code reads as x.0.0, as Sendmail and Exim write it in a DSN', () => {
    expect(
      fields(
        [
          'Hi. This is the qmail-send program at relay.night-cramp.example.',
          "I'm afraid I wasn't able to deliver your message to the following addresses.",
          "This is a permanent error; I've given up. Sorry it didn't work out.",
          '',
          '<reader@reader-mail.example>:',
          '198.51.100.7 does not like recipient.',
          'Remote host said: 550 No such user here',
          'Giving up on 198.51.100.7.',
        ].join('\n'),
      ),
    ).toEqual([
      {
        action: 'failed',
        'final-recipient': 'rfc822; reader@reader-mail.example',
        status: '5.0.0',
        'diagnostic-code': 'Remote host said: 550 No such user here',
      },
    ]);
  });

  it('Exim: a notice that lists nobody in its text takes X-Failed-Recipients', () => {
    expect(
      fields(
        [
          'This message was created automatically by mail delivery software.',
          '',
          'A message that you sent could not be delivered to one or more of its',
          'recipients. This is a permanent error.',
          '',
          'retry timeout exceeded',
        ].join('\n'),
        'reader@reader-mail.example',
      ),
    ).toEqual([
      {
        action: 'failed',
        'final-recipient': 'rfc822; reader@reader-mail.example',
        'diagnostic-code': 'This message was created automatically by mail delivery software.',
      },
    ]);
  });

  it('a person forwarding or quoting a bounce, and ordinary mail, are not bounces', () => {
    expect(
      readPlainTextBounce(
        [
          'Why did this bounce?',
          '',
          '> Hi. This is the qmail-send program at mx.example.',
          '> <reader@reader-mail.example>:',
          '> Sorry, no mailbox here by that name. (#5.1.1)',
        ].join('\n'),
      ),
    ).toBeUndefined();
    expect(
      readPlainTextBounce(
        'I am away until Monday and will read your message when I return.\nreader@reader-mail.example',
      ),
    ).toBeUndefined();
  });
});
