import { DateTime } from 'luxon';

/** A local wall-clock time `HH:MM` (24-hour): the series' send time and each reader's own. */
export const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isLocalTime(value: unknown): value is string {
  return typeof value === 'string' && LOCAL_TIME.test(value);
}

/**
 * A moment in a reader's own zone, as the pages and the welcome email say it:
 * "Tuesday 3 December at 19:00 (Europe/London)". One wording everywhere.
 */
export function describeLocalTime(ms: number, zone: string): string {
  return `${DateTime.fromMillis(ms, { zone }).setLocale('en-GB').toFormat("cccc d LLLL 'at' HH:mm")} (${zone})`;
}
