import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { afterTemporaryFailure, GIVE_UP_AFTER_MS } from '../../src/delivery/retry-policy.ts';
import { earliestNextTip, nextTipTime, sendClockFor } from '../../src/series/cadence.ts';

const at = (iso: string, zone: string) => DateTime.fromISO(iso, { zone }).toJSDate();
const local = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd HH:mm');

describe('the weekly cadence', () => {
  it("keeps 19:00 local a week later across New York's spring-forward (167 hours, not 168)", () => {
    const next = nextTipTime(
      at('2026-03-05T19:00', 'America/New_York'),
      { zone: 'America/New_York', time: '19:00' },
      7,
    );
    expect(local(next, 'America/New_York')).toBe('2026-03-12 19:00');
    expect(next.getTime() - at('2026-03-05T19:00', 'America/New_York').getTime()).toBe(167 * 3_600_000);
  });

  it('keeps the weekday when a pass runs a few minutes late (cron every 15 minutes)', () => {
    const next = nextTipTime(
      at('2026-11-01T19:14', 'America/New_York'),
      { zone: 'America/New_York', time: '19:00' },
      7,
    );
    expect(local(next, 'America/New_York')).toBe('2026-11-08 19:00');
  });

  it('after an outage continues weekly from the day of the late send', () => {
    const sent = at('2026-06-02T03:00', 'Australia/Sydney');
    const next = nextTipTime(sent, { zone: 'Australia/Sydney', time: '07:30' }, 7);
    expect(local(next, 'Australia/Sydney')).toBe('2026-06-09 07:30');
    expect(next.getTime() - sent.getTime()).toBeGreaterThanOrEqual(6 * 86_400_000);
  });

  it('never within six days of elapsed time, even when a daylight-saving night is an hour short', () => {
    const sent = at('2026-03-07T19:00', 'America/New_York');
    const earliest = earliestNextTip(sent, { zone: 'America/New_York', time: '19:00' });
    expect(earliest.getTime() - sent.getTime()).toBeGreaterThanOrEqual(6 * 86_400_000);
    expect(local(earliest, 'America/New_York')).toBe('2026-03-14 19:00');
  });

  it('falls back to the defaults for a zone or time that is not valid', () => {
    expect(sendClockFor({ timezone: 'Mars/Olympus', sendTime: '25:00' }, { zone: 'UTC', time: '19:00' })).toEqual({
      zone: 'UTC',
      time: '19:00',
    });
    expect(sendClockFor({ timezone: 'Europe/Paris', sendTime: '06:45' }, { zone: 'UTC', time: '19:00' })).toEqual({
      zone: 'Europe/Paris',
      time: '06:45',
    });
  });
});

describe('the retry policy', () => {
  it('waits longer after each temporary failure, then gives up at 72 hours exactly', () => {
    const first = 0;
    let now = first;
    const waits: number[] = [];
    for (let attempt = 1; attempt < 20; attempt++) {
      const d = afterTemporaryFailure(first, attempt, now);
      if (d.state === 'failed') break;
      waits.push(d.nextAttemptAt - now);
      now = d.nextAttemptAt;
    }
    expect(waits.slice(0, 5).map((w) => w / 60_000)).toEqual([15, 60, 240, 720, 1440]);
    expect(now).toBe(GIVE_UP_AFTER_MS);
    expect(afterTemporaryFailure(first, 8, GIVE_UP_AFTER_MS)).toEqual({ state: 'failed' });
  });
});
