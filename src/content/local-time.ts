/** A local wall-clock time `HH:MM` (24-hour): the series' send time and each reader's own. */
export const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isLocalTime(value: unknown): value is string {
  return typeof value === 'string' && LOCAL_TIME.test(value);
}
