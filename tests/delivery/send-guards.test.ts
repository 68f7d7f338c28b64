import { describe, expect, it } from 'vitest';
import { SendError } from '../../src/mailer/mailer.ts';
import { SendGuards } from '../../src/delivery/send-guards.ts';

const mailer = (pool: number) => ({ concurrency: pool, describe: () => `SMTP smtp://127.0.0.1:2525 (pool ${pool})` });
const refused = new SendError('permanent', '550 5.1.1 no such user');
const dropped = new SendError('relay', 'ECONNECTION: Connection closed', true);
const closing = new SendError('relay', '421 4.3.2 Service not available, closing transmission channel', true);
const greylisted = new SendError('temporary', '450 4.2.0 greylisted, try later');

describe('the guards that stop a pass', () => {
  it('stop at the tenth refused recipient in a row; a message sent in between starts the count again', () => {
    const guards = new SendGuards(mailer(2));
    for (let i = 0; i < 9; i++) expect(guards.failed(refused)).toBeUndefined();
    guards.sent();
    for (let i = 0; i < 9; i++) expect(guards.failed(refused)).toBeUndefined();
    expect(guards.failed(refused)).toEqual({
      cause: 'recipients_refused',
      why: expect.stringMatching(/^10 recipients in a row were refused \(SMTP .*\); last: 550 5\.1\.1 no such user/),
    });
  });

  it("stop after more of the relay's temporary failures in a row (drops, 421) than the pool explains (twice the pool, at least 3)", () => {
    const guards = new SendGuards(mailer(5));
    for (let i = 0; i < 9; i++) expect(guards.failed(i % 2 ? dropped : closing)).toBeUndefined();
    expect(guards.failed(dropped)).toEqual({
      cause: 'relay_temporary',
      why: expect.stringMatching(
        /^the relay is not taking mail for now: 10 tries in a row failed .*; last: ECONNECTION: Connection closed\. No reader's retries were used/,
      ),
    });

    const small = new SendGuards(mailer(1));
    expect(small.failed(dropped)).toBeUndefined();
    expect(small.failed(greylisted)).toBeUndefined();
    expect(small.failed(dropped)).toBeUndefined();
    expect(small.failed(dropped)).toBeUndefined();
    expect(small.failed(dropped)?.why).toMatch(/3 tries in a row failed/);
  });

  it('stop at once when the server is unavailable, or refuses for a reason about the sender', () => {
    expect(new SendGuards(mailer(2)).failed(new SendError('unavailable', 'ECONNREFUSED'))).toEqual({
      cause: 'relay_unavailable',
      why: 'sending is unavailable (SMTP smtp://127.0.0.1:2525 (pool 2)): ECONNREFUSED',
    });
    const policy = new SendError('unavailable', '554 5.7.1 <reader@example.org>: Relay access denied', false, {
      senderRefusal: true,
      advice: 'the relay refused a recipient: 554 5.7.1 <reader@example.org>: Relay access denied',
    });
    // The stop line is about the relay: it names no reader.
    expect(new SendGuards(mailer(2)).failed(policy)).toEqual({
      cause: 'relay_refused_sender',
      why: 'the relay refused a recipient: 554 5.7.1 <<address>>: Relay access denied (SMTP smtp://127.0.0.1:2525 (pool 2))',
    });
  });
});
