import { describe, expect, it } from 'vitest';
import { nextDueAfterChange } from '../../src/series/cadence.ts';

/** The rule as the subscription code calls it, in the shape these cases were written in. */
const nextDueAt = (i: { now: Date; lastSentAt: number | null; zone: string; sendTime: string; cadenceDays: number }) =>
  nextDueAfterChange(i.now, i.lastSentAt, { zone: i.zone, time: i.sendTime }, i.cadenceDays);

const DAY = 86_400_000;

describe('nextDueAfterChange', () => {
  it('a new reader: their next local send time', () => {
    const now = new Date('2026-03-02T10:00:00Z');
    expect(
      nextDueAt({ now, lastSentAt: null, zone: 'Europe/London', sendTime: '19:00', cadenceDays: 7 }).toISOString(),
    ).toBe('2026-03-02T19:00:00.000Z');
    const late = new Date('2026-03-02T20:00:00Z');
    expect(
      nextDueAt({
        now: late,
        lastSentAt: null,
        zone: 'Europe/London',
        sendTime: '19:00',
        cadenceDays: 7,
      }).toISOString(),
    ).toBe('2026-03-03T19:00:00.000Z');
  });

  it('after a tip: not before the local day the cadence comes round, at the new time', () => {
    const last = Date.parse('2026-03-02T19:00:00Z'); // Monday 19:00 in London
    const now = new Date('2026-03-03T08:00:00Z');
    // Moving to New York 07:00: due on the Monday a week on, 07:00 New York (12:00 UTC).
    const due = nextDueAt({ now, lastSentAt: last, zone: 'America/New_York', sendTime: '07:00', cadenceDays: 7 });
    expect(due.toISOString()).toBe('2026-03-09T11:00:00.000Z');
    expect(due.getTime() - last).toBeGreaterThanOrEqual(6 * DAY);
  });

  it('never within six days of the last tip, even when the new time is earlier in the day', () => {
    const last = Date.parse('2026-03-02T23:30:00Z'); // late in London
    const due = nextDueAt({
      now: new Date(last + DAY),
      lastSentAt: last,
      zone: 'Pacific/Kiritimati',
      sendTime: '06:00',
      cadenceDays: 6,
    });
    expect(due.getTime() - last).toBeGreaterThanOrEqual(6 * DAY);
  });

  it('long after the last tip: the next local send time from now', () => {
    const last = Date.parse('2026-01-01T19:00:00Z');
    const now = new Date('2026-03-02T10:00:00Z');
    expect(
      nextDueAt({ now, lastSentAt: last, zone: 'Europe/London', sendTime: '19:00', cadenceDays: 7 }).toISOString(),
    ).toBe('2026-03-02T19:00:00.000Z');
  });

  it('keeps the local time across daylight saving', () => {
    const now = new Date('2026-03-28T20:00:00Z'); // the night before the UK clocks change
    expect(
      nextDueAt({ now, lastSentAt: null, zone: 'Europe/London', sendTime: '19:00', cadenceDays: 7 }).toISOString(),
    ).toBe('2026-03-29T18:00:00.000Z');
  });
});
