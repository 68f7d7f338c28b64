import { DateTime } from 'luxon';

/**
 * The first moment strictly after `after` when the clock in `zone` reads `hhmm`, daylight saving
 * handled by luxon: a reader in New York at 19:00 stays at 19:00 local across the changes.
 * A local time that does not exist on a spring-forward day moves forward with the clock.
 */
export function nextLocalSendTime(after: Date, zone: string, hhmm: string): Date {
  const [hour, minute] = hhmm.split(':').map(Number) as [number, number];
  const start = DateTime.fromJSDate(after, { zone });
  let candidate = start.set({ hour, minute, second: 0, millisecond: 0 });
  if (candidate.toMillis() <= after.getTime())
    candidate = candidate.plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 });
  return candidate.toJSDate();
}

/** The first local send time on or after `notBefore` (used to keep a cadence of N days). */
export function localSendTimeOnOrAfter(notBefore: Date, zone: string, hhmm: string): Date {
  return nextLocalSendTime(new Date(notBefore.getTime() - 1), zone, hhmm);
}

/**
 * Whether the reader's local send time `hhmm` fell within the `windowMs` up to `now`: their
 * evening has begun and is not yet over. Mail that is not a weekly tip (a correction) goes out
 * in this window, at the hour the reader chose, rather than whenever a pass happens to run.
 */
export function withinSendWindow(now: Date, zone: string, hhmm: string, windowMs: number): boolean {
  return nextLocalSendTime(new Date(now.getTime() - windowMs), zone, hhmm).getTime() <= now.getTime();
}
