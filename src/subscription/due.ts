import { DateTime } from 'luxon';
import { nextLocalSendTime } from '../schedule/send-time.ts';

const DAY = 86_400_000;
/** The series' hard rule: never two tips to one reader within six days. */
export const MIN_GAP_MS = 6 * DAY;

export interface DueInput {
  now: Date;
  /** When they last got a tip, if ever. */
  lastSentAt: number | null;
  zone: string;
  /** Local `HH:MM`. */
  sendTime: string;
  cadenceDays: number;
}

/**
 * When a reader's next tip is due after they confirm, resume, restart or change their time:
 * their next local send time, but not before the local day their cadence comes round again
 * (so a new time zone neither skips nor doubles a week) and never within six days of the last tip.
 */
export function nextDueAt({ now, lastSentAt, zone, sendTime, cadenceDays }: DueInput): Date {
  let earliest = now.getTime();
  if (lastSentAt !== null) {
    const cadenceDay = DateTime.fromMillis(lastSentAt + cadenceDays * DAY, { zone }).startOf('day').toMillis();
    earliest = Math.max(earliest, cadenceDay, lastSentAt + MIN_GAP_MS);
  }
  return nextLocalSendTime(new Date(earliest - 1), zone, sendTime);
}
