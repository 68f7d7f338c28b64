import type { SubscriberStatus } from '../../app.ts';
import { UsageError } from '../command.ts';

export const STATUSES: readonly SubscriberStatus[] = ['pending', 'active', 'paused', 'unsubscribed', 'bounced', 'complained'];

/** `--status S`, checked; undefined when not given. */
export function statusOption(value: unknown): SubscriberStatus | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(STATUSES as readonly string[]).includes(value)) throw new UsageError(`--status must be one of ${STATUSES.join(', ')}`);
  return value as SubscriberStatus;
}

export const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
