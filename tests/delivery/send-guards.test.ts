import { describe, expect, it } from 'vitest';
import { SendError } from '../../src/mailer/mailer.ts';
import { SendGuards } from '../../src/delivery/send-guards.ts';

const mailer = (pool: number) => ({ concurrency: pool, describe: () => `SMTP smtp://127.0.0.1:2525 (pool ${pool})` });
const refused = new SendError('permanent', '550 5.1.1 no such user');
const dropped = new SendError('temporary', 'ECONNECTION: Connection closed', true);
const greylisted = new SendError('temporary', '451 try later');

describe('the guards that stop a pass', () => {
  it('stop at the tenth refused recipient in a row; a message sent in between starts the count again', () => {
    const guards = new SendGuards(mailer(2));
    for (let i = 0; i < 9; i++) expect(guards.failed(refused)).toBeUndefined();
    guards.sent();
    for (let i = 0; i < 9; i++) expect(guards.failed(refused)).toBeUndefined();
    expect(guards.failed(refused)).toMatch(/^10 recipients in a row were refused \(SMTP .*\); last: 550 5\.1\.1 no such user/);
  });

  it('stop after more dropped connections in a row than the pool explains (twice the pool, at least 3)', () => {
    const guards = new SendGuards(mailer(5));
    for (let i = 0; i < 9; i++) expect(guards.failed(dropped)).toBeUndefined();
    expect(guards.failed(dropped)).toMatch(/^the SMTP server dropped 10 connections in a row/);

    const small = new SendGuards(mailer(1));
    expect(small.failed(dropped)).toBeUndefined();
    expect(small.failed(greylisted)).toBeUndefined();
    expect(small.failed(dropped)).toBeUndefined();
    expect(small.failed(dropped)).toBeUndefined();
    expect(small.failed(dropped)).toMatch(/dropped 3 connections/);
  });

  it('stop at once when the server is unavailable', () => {
    expect(new SendGuards(mailer(2)).failed(new SendError('unavailable', 'ECONNREFUSED'))).toBe('sending is unavailable (SMTP smtp://127.0.0.1:2525 (pool 2)): ECONNREFUSED');
  });
});
