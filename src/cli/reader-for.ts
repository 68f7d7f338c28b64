import { createHash } from 'node:crypto';
import type { App } from '../app.ts';
import { normalizeAddress } from '../subscription/address.ts';

/** Whom `render --email` and `send-test --to` render for: the stored reader, or a stand-in. */
export interface SampleReader {
  /** The id links are signed for. */
  publicId: string;
  name: string | null;
  /** Whether the address belongs to a stored subscriber (their links then work on the site). */
  stored: boolean;
}

/**
 * The subscriber with this address, so an email renders as they would get it (their name, their
 * working links). An unknown address, or no database yet, gets an id derived from the address;
 * its links lead nowhere on the site. A database is never created or migrated here.
 */
export async function readerFor(app: App, email: string): Promise<SampleReader> {
  const s = await app.storedReader(normalizeAddress(email)).catch(() => undefined);
  if (s) return { publicId: s.publicId, name: s.name, stored: true };
  return {
    publicId: createHash('sha256').update(normalizeAddress(email)).digest('hex').slice(0, 24),
    name: null,
    stored: false,
  };
}
