import { expect, it } from 'vitest';
import type { SubscribersTable } from '../../src/store/schema.ts';
import {
  SUBSCRIBER,
  subscriberColumns,
  subscriberRow,
  subscriberUpdate,
  type NewSubscriber,
  type SubscriberPatch,
} from '../../src/store/subscriber-rows.ts';

const reader: NewSubscriber = {
  publicId: 'p',
  email: 'Ann@Example.org',
  emailNormalized: 'ann@example.org',
  name: 'Ann',
  status: 'active',
  timezone: 'Europe/Paris',
  sendTime: '07:30',
  consentAt: 1,
  consentIp: '203.0.113.9',
  consentUserAgent: 'ua',
  consentSource: 'web',
  createdAt: 2,
  confirmedAt: 3,
  statusChangedAt: 4,
  nextSendAt: 5,
  lastSentAt: null,
  confirmSentAt: 6,
};

it('maps every field of a new reader to its column, and nothing else', () => {
  const row = subscriberRow(reader);
  expect(Object.keys(row).sort()).toEqual(Object.values(subscriberColumns).sort());
  expect(row).toMatchObject({
    public_id: 'p',
    email_normalized: 'ann@example.org',
    send_time: '07:30',
    last_sent_at: null,
  });
});

it('a patch sets only the columns of the fields it has', () => {
  expect(subscriberUpdate({ status: 'paused', nextSendAt: null, statusChangedAt: 9 })).toEqual({
    status: 'paused',
    next_send_at: null,
    status_changed_at: 9,
  });
  expect(subscriberUpdate({ name: undefined })).toEqual({});
  // A whole Subscriber spread in: its id and cycle name no column a patch may set.
  expect(subscriberUpdate({ id: 1, cycle: 2, name: 'Ann' } as SubscriberPatch)).toEqual({ name: 'Ann' });
});

it('reads every column back, under its camelCase name', () => {
  const columns: (keyof SubscribersTable)[] = ['id', 'cycle', ...Object.values(subscriberColumns)];
  const read = SUBSCRIBER.map((s) => s.split(' as ')[0]);
  expect(read.sort()).toEqual(columns.sort());
  const fields = SUBSCRIBER.map((s) => s.split(' as ').at(-1));
  expect(fields.sort()).toEqual(['id', 'cycle', ...Object.keys(subscriberColumns)].sort());
});
