import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Config } from '../config.ts';
import { openStore } from '../store/database.ts';
import { createSubscriberStore } from '../store/subscribers.ts';
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
 * its links lead nowhere on the site. A database is never created here.
 */
export async function readerFor(config: Config, email: string): Promise<SampleReader> {
  if (config.database.kind === 'postgres' || existsSync(config.database.file)) {
    const db = openStore(config.database);
    try {
      const s = await createSubscriberStore(db)
        .byEmail(normalizeAddress(email))
        .catch(() => undefined);
      if (s) return { publicId: s.public_id, name: s.name, stored: true };
    } finally {
      await db.destroy();
    }
  }
  return { publicId: createHash('sha256').update(normalizeAddress(email)).digest('hex').slice(0, 24), name: null, stored: false };
}
