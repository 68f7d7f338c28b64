import { DateTime, IANAZone } from 'luxon';
import { isLocalTime } from '../content/local-time.ts';
import { localSendTimeOnOrAfter } from './send-time.ts';

/** The contract's floor: never two tips to one subscriber within six days. */
export const MIN_DAYS_BETWEEN_TIPS = 6;
// Six days of elapsed time, not six local days (a daylight-saving night is an hour short).
const DAY_MS = 86_400_000;

/**
 * How late a pass may run after a send time and still keep the reader's weekday: a pass at
 * 19:07 for a 19:00 reader schedules the next tip for 19:00 a week later, not a day later.
 */
const SLACK_HOURS = 12;

/** Where and when one reader gets mail: their zone and local `HH:MM`, or the defaults. */
export interface SendClock {
  zone: string;
  time: string;
}

/** The reader's own zone and time if valid (they come from a browser or a form), else the defaults. */
export function sendClockFor(
  reader: { timezone: string | null; sendTime: string | null },
  defaults: SendClock,
): SendClock {
  const zone = reader.timezone && IANAZone.isValidZone(reader.timezone) ? reader.timezone : defaults.zone;
  const time = isLocalTime(reader.sendTime) ? reader.sendTime : defaults.time;
  return { zone, time };
}

/**
 * The next tip's send time after a tip went out at `sentAt`: the reader's local send time,
 * `cadenceDays` calendar days on (daylight saving handled: local days, not 24-hour blocks),
 * and never sooner than six days. After an outage the schedule continues from `sentAt`.
 */
export function nextTipTime(sentAt: Date, clock: SendClock, cadenceDays: number): Date {
  const local = DateTime.fromJSDate(sentAt, { zone: clock.zone });
  const byCadence = local.plus({ days: cadenceDays }).minus({ hours: SLACK_HOURS });
  const floor = sentAt.getTime() + MIN_DAYS_BETWEEN_TIPS * DAY_MS;
  return localSendTimeOnOrAfter(new Date(Math.max(byCadence.toMillis(), floor)), clock.zone, clock.time);
}

/** The earliest a tip may go out to a reader whose last tip went out at `lastSentAt`. */
export function earliestNextTip(lastSentAt: Date, clock: SendClock): Date {
  return localSendTimeOnOrAfter(
    new Date(lastSentAt.getTime() + MIN_DAYS_BETWEEN_TIPS * DAY_MS),
    clock.zone,
    clock.time,
  );
}

/**
 * When a reader's next tip is due after they confirm, resume, restart or change their zone or
 * time: their next local send time, but not before the local day their cadence comes round again
 * (so a new time zone neither skips nor doubles a week) and never within six days of the last tip.
 */
export function nextDueAfterChange(now: Date, lastSentAt: number | null, clock: SendClock, cadenceDays: number): Date {
  let earliest = now.getTime();
  if (lastSentAt !== null) {
    const cadenceDay = DateTime.fromMillis(lastSentAt + cadenceDays * DAY_MS, { zone: clock.zone })
      .startOf('day')
      .toMillis();
    earliest = Math.max(earliest, cadenceDay, lastSentAt + MIN_DAYS_BETWEEN_TIPS * DAY_MS);
  }
  return localSendTimeOnOrAfter(new Date(earliest), clock.zone, clock.time);
}
