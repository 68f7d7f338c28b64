import { describe, expect, it } from 'vitest';
import { classifyStatus } from '../../src/bounces/classify.ts';
import { classifySmtpError } from '../../src/mailer/smtp-options.ts';
import { classifyMailStatus, replyCodes, type StatusParty, type StatusStage } from '../../src/mailer/smtp-status.ts';

const party = (basic: number | undefined, enhanced: string | undefined, stage: StatusStage = 'recipient') =>
  classifyMailStatus({ basic, enhanced, stage }).party;

describe('the one table of status codes', () => {
  it.each<[number | undefined, string | undefined, StatusParty]>([
    // The reader's address: a bounce.
    [550, '5.1.1', 'reader-permanent'],
    [550, '5.1.2', 'reader-permanent'],
    [550, '5.1.10', 'reader-permanent'],
    [550, '5.2.1', 'reader-permanent'],
    [undefined, '5.1.1', 'reader-permanent'],
    // The reader's mailbox, for now.
    [552, '5.2.2', 'reader-temporary'],
    [452, '4.2.2', 'reader-temporary'],
    [450, '4.2.0', 'reader-temporary'],
    [450, '4.1.1', 'reader-temporary'],
    // About the sender: nobody is bounced.
    [554, '5.7.1', 'sender-permanent'],
    [550, '5.7.1', 'sender-permanent'],
    [550, '5.7.26', 'sender-permanent'],
    [550, '5.4.5', 'sender-permanent'],
    [554, '5.3.0', 'sender-permanent'],
    [552, '5.3.4', 'sender-permanent'],
    [554, '5.6.0', 'sender-permanent'],
    [553, '5.1.8', 'sender-permanent'],
    [552, '5.2.3', 'sender-permanent'],
    [451, '4.7.1', 'sender-temporary'],
    [451, '4.3.0', 'sender-temporary'],
    [421, '4.4.2', 'sender-temporary'],
    [421, undefined, 'sender-temporary'],
    // No enhanced code (or x.0.0): the basic code.
    [550, undefined, 'reader-permanent'],
    [550, '5.0.0', 'reader-permanent'],
    [553, undefined, 'reader-permanent'],
    [556, undefined, 'reader-permanent'],
    [552, undefined, 'reader-temporary'],
    [451, undefined, 'reader-temporary'],
    [554, undefined, 'sender-permanent'],
    [554, '5.0.0', 'sender-permanent'],
    [535, undefined, 'sender-permanent'],
    [250, '2.0.0', 'success'],
  ])('%s %s to RCPT → %s', (basic, enhanced, expected) => {
    expect(party(basic, enhanced)).toBe(expected);
  });

  it('answers to the session (greeting, MAIL FROM) are always the sender’s; to DATA without an enhanced code too', () => {
    expect(party(550, '5.1.1', 'session')).toBe('sender-permanent');
    expect(party(451, undefined, 'session')).toBe('sender-temporary');
    expect(party(550, undefined, 'message')).toBe('sender-permanent');
    expect(party(451, undefined, 'message')).toBe('sender-temporary');
    // One recipient per message: an enhanced code at DATA still says whose it is.
    expect(party(550, '5.1.1', 'message')).toBe('reader-permanent');
  });

  it('reads the codes at the start of a reply, single- or multi-line', () => {
    expect(replyCodes('554 5.7.1 <a@b.example>: Relay access denied')).toEqual({ basic: 554, enhanced: '5.7.1' });
    expect(replyCodes('550-5.7.26 This mail has been blocked')).toEqual({ basic: 550, enhanced: '5.7.26' });
    expect(replyCodes('421 Service not available')).toEqual({ basic: 421 });
    expect(replyCodes('ECONNECTION: closed')).toEqual({});
  });
});

describe('the same table for SMTP answers and DSNs', () => {
  const smtp = (responseCode: number, response: string, command = 'RCPT TO', code = 'EENVELOPE') =>
    classifySmtpError(Object.assign(new Error('failed'), { responseCode, response, command, code }));

  it('SMTP: reader faults bounce or retry; relay and policy faults stop the pass; 421 and drops are the relay’s for now', () => {
    expect(smtp(550, '550 5.1.1 no such user').kind).toBe('permanent');
    expect(smtp(452, '452 4.2.2 Mailbox full').kind).toBe('temporary');
    expect(smtp(554, '554 5.7.1 Relay access denied')).toMatchObject({
      kind: 'unavailable',
      about: { senderRefusal: true },
    });
    expect(smtp(550, '550 5.4.5 Daily sending quota exceeded').kind).toBe('unavailable');
    expect(smtp(550, '550 5.1.1 sender unknown', 'MAIL FROM').kind).toBe('unavailable');
    expect(smtp(421, '421 4.3.2 Service not available', 'CONN', 'EPROTOCOL')).toMatchObject({
      kind: 'relay',
      connection: true,
    });
    expect(smtp(421, '421 4.7.0 Try again later', 'MAIL FROM')).toMatchObject({ kind: 'relay', connection: true });
    expect(
      classifySmtpError(Object.assign(new Error('Connection closed'), { code: 'ECONNECTION', command: 'CONN' })),
    ).toMatchObject({ kind: 'relay', connection: true });
    expect(
      classifySmtpError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET', command: 'CONN' }),
      ),
    ).toMatchObject({ kind: 'unavailable', connection: true });
  });

  it('DSN: the same codes give hard, soft or nothing', () => {
    expect(classifyStatus('failed', '5.1.1')).toEqual({ kind: 'hard' });
    expect(classifyStatus('failed', '5.2.2')).toEqual({ kind: 'soft' });
    expect(classifyStatus('delayed', '4.2.2')).toEqual({ kind: 'soft' });
    expect(classifyStatus('failed', '5.7.1')).toMatchObject({
      kind: 'ignored',
      why: expect.stringMatching(/^status 5\.7\.1 is a policy refusal about the sender/),
    });
    expect(classifyStatus('failed', '5.4.5')).toMatchObject({
      kind: 'ignored',
      why: expect.stringMatching(/^status 5\.4\.5 is about the sender \(routing, quota or congestion\)/),
    });
    expect(classifyStatus('failed', '5.3.0')).toMatchObject({ kind: 'ignored' });
    expect(classifyStatus('delayed', '4.4.1')).toMatchObject({
      kind: 'ignored',
      why: expect.stringContaining("a delay on the sender's side"),
    });
    // 5.0.0 says nothing: the remote server's own reply in the Diagnostic-Code does.
    expect(classifyStatus('failed', '5.0.0', 'smtp; 550 User unknown')).toEqual({ kind: 'hard' });
    expect(classifyStatus('failed', '5.0.0', 'smtp; 554 rejected due to spam content')).toMatchObject({
      kind: 'ignored',
    });
    expect(classifyStatus('delivered', '2.0.0')).toMatchObject({ kind: 'ignored' });
  });
});
