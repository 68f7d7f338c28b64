import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { PassShaper, memoryBuckets } from '../../src/delivery/shaping.ts';
import { SiteResolver } from '../../src/delivery/site-resolver.ts';
import { kyselySiteStates, postgresSiteLeases } from '../../src/store/shaping.ts';
import { describeEachEngine, useTestStore } from '../support/engines.ts';

/**
 * Issue 26: a site's connection slots in `site_leases`, taken by three senders (each its own
 * pool) at once: never more than the limit, never one slot twice; a slot freed or expired goes
 * to whoever asks next, and a sender whose lease expired cannot free the new holder's slot.
 */
describeEachEngine(
  'site connection leases shared by three senders on PostgreSQL',
  () => {
    const t = useTestStore({ name: 'postgres' });

    it('nine asks at once for a limit of 2 get 2 distinct slots; a freed or expired slot is taken again', async () => {
      const senders = ['a', 'b', 'c'].map((holder) =>
        postgresSiteLeases(t.open({ pool: 3 }), { leaseMs: 60_000, holder }),
      );
      const asks = await Promise.all(
        senders.flatMap((s) => [0, 1, 2].map(async () => ({ s, slot: await s.take('busy.test', 2) }))),
      );
      const granted = asks.filter((a) => a.slot !== undefined);
      expect(granted.map((g) => g.slot).sort()).toEqual([0, 1]);
      // Full: nobody gets a third.
      for (const s of senders) expect(await s.take('busy.test', 2)).toBeUndefined();
      // Another site has its own slots.
      expect(await senders[0]!.take('other.test', 1)).toBe(0);

      const [first, second] = granted;
      await first!.s.release('busy.test', first!.slot!);
      const waiting = senders.find((s) => s !== first!.s)!;
      expect(await waiting.take('busy.test', 2)).toBe(first!.slot);

      // The second holder crashed: its lease runs out (set here on the database's clock, not waited for).
      await t.db
        .updateTable('site_leases')
        .set({ expires_at: 0 })
        .where('site', '=', 'busy.test')
        .where('slot', '=', second!.slot!)
        .execute();
      const heir = senders.find((s) => s !== second!.s)!;
      expect(await heir.take('busy.test', 2)).toBe(second!.slot);
      // The old holder's late release leaves the heir's slot alone.
      await second!.s.release('busy.test', second!.slot!);
      const row = await t.db
        .selectFrom('site_leases')
        .select('holder')
        .where('site', '=', 'busy.test')
        .where('slot', '=', second!.slot!)
        .executeTakeFirstOrThrow();
      expect(row.holder).toBe(heir.holder);
    });

    it('a limit lowered below a held slot counts only the slots under it', async () => {
      const s = postgresSiteLeases(t.db, { leaseMs: 60_000, holder: 'solo' });
      expect([await s.take('shrink.test', 3), await s.take('shrink.test', 3)]).toEqual([0, 1]);
      expect(await s.take('shrink.test', 2)).toBeUndefined();
      await s.release('shrink.test', 0);
      expect(await s.take('shrink.test', 2)).toBe(0);
    });

    it('the table is unlogged (no disk flush per message); emptied by a database crash, its slots are made again', async () => {
      const { rows } = await sql<{
        relpersistence: string;
      }>`select relpersistence from pg_class where relname = 'site_leases'`.execute(t.db);
      expect(rows[0]?.relpersistence).toBe('u');
      const s = postgresSiteLeases(t.db, { leaseMs: 60_000, holder: 'survivor' });
      expect(await s.take('crash.test', 1)).toBe(0);
      await s.release('crash.test', 0);
      // What a crash leaves of an unlogged table: nothing.
      await t.db.deleteFrom('site_leases').execute();
      expect((await s.take('crash.test', 1)) ?? (await s.take('crash.test', 1))).toBe(0);
    });

    it("a pass gives back at its end a lease a message never released, and a bucket's failure releases at once", async () => {
      const T = Date.UTC(2026, 2, 2, 19);
      const leases = postgresSiteLeases(t.db, { leaseMs: 60_000, holder: 'pass' });
      const failing = { take: () => Promise.reject(new Error('database gone')) };
      const shaperWith = (buckets = memoryBuckets()) =>
        new PassShaper(
          {
            sites: new SiteResolver({ lookup: () => Promise.resolve({ hosts: [] }) }),
            states: kyselySiteStates(t.db),
            buckets,
            leases,
            limits: { 'leak.test': { connections: 1 }, 'fail.test': { connections: 1, perMinute: 60 } },
          },
          () => T,
          () => 1,
          T,
        );
      const holderOf = async (site: string) =>
        (await t.db.selectFrom('site_leases').select('holder').where('site', '=', site).executeTakeFirstOrThrow())
          .holder;
      const pass = shaperWith();
      expect(await pass.acquire('leak.test', () => false)).toBeTypeOf('function');
      expect(await holderOf('leak.test')).toBe('pass');
      await pass.flush();
      expect(await holderOf('leak.test')).toBeNull();

      const broken = shaperWith(failing);
      await expect(broken.acquire('fail.test', () => false)).rejects.toThrow('database gone');
      await broken.flush();
      expect(await holderOf('fail.test')).toBeNull();
    });
  },
  'postgres',
);
