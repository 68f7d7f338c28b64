// ../../work/wt/h-studio/src/store/deliveries.ts
import { CompiledQuery } from "../vendor/kysely.js";
import { countDueSubscribers, dueSubscribersQuery, pendingDeliveriesQuery } from "./due.js";
import { engineOf } from "./engine.js";
import { noteRelayState } from "./relay-state.js";
import { reusableQuery } from "./reusable-query.js";
function kyselyDeliveryStore(db) {
  const ledger = { db, hot: hotQueries(db), postgres: engineOf(db) === "postgres" };
  return {
    ...dueReads(db),
    ...ledgerReads(db),
    ...ledgerClaims(ledger),
    pendingRetries: (now, staleBefore, afterId, limit) => pendingRetries(db, now, staleBefore, afterId, limit),
    ...claimRenewals(db),
    ...handBacks(db),
    ...failureSettles(db),
    settleBounced: (b) => settleBounced(db, b),
    noteRelayState: (note) => noteRelayState(db, note)
  };
}
function dueReads(db) {
  return {
    async dueSubscribers(now, after, limit) {
      const rows = await dueSubscribersQuery(db, now).select(["id", "public_id", "email", "name", "timezone", "send_time", "cycle", "next_send_at", "last_sent_at"]).$if(
        after !== void 0,
        (qb) => qb.where(
          (eb) => eb.or([
            eb("next_send_at", ">", after.nextSendAt),
            eb.and([eb("next_send_at", "=", after.nextSendAt), eb("id", ">", after.id)])
          ])
        )
      ).orderBy("next_send_at").orderBy("id").limit(limit).execute();
      return rows.map((r) => ({
        id: r.id,
        publicId: r.public_id,
        email: r.email,
        name: r.name,
        timezone: r.timezone,
        sendTime: r.send_time,
        cycle: r.cycle,
        nextSendAt: r.next_send_at,
        lastSentAt: r.last_sent_at
      }));
    },
    async dueCursorAt(now, fraction) {
      const offset = Math.floor(Math.min(Math.max(fraction, 0), 1) * await countDueSubscribers(db, now));
      const row = await dueSubscribersQuery(db, now).select(["id", "next_send_at"]).orderBy("next_send_at").orderBy("id").offset(offset).limit(1).executeTakeFirst();
      return row ? { nextSendAt: row.next_send_at, id: row.id } : void 0;
    },
    async countDue(now, staleBefore) {
      const retries = await pendingDeliveriesQuery(db, now, staleBefore).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
      return await countDueSubscribers(db, now) + Number(retries.n);
    }
  };
}
function ledgerReads(db) {
  return {
    async ledger(subscriberIds) {
      const out = new Map(subscriberIds.map((id) => [id, []]));
      if (subscriberIds.length === 0) return out;
      const rows = await db.selectFrom("deliveries as d").innerJoin("subscribers as s", "s.id", "d.subscriber_id").whereRef("d.cycle", "=", "s.cycle").where("d.subscriber_id", "in", subscriberIds).select(["d.subscriber_id", "d.tip_slug", "d.state"]).execute();
      for (const r of rows) out.get(r.subscriber_id)?.push({ slug: r.tip_slug, state: r.state });
      return out;
    },
    async suppressed(emailHashes) {
      if (emailHashes.length === 0) return /* @__PURE__ */ new Set();
      const rows = await db.selectFrom("suppressions").select("email_hash").where("email_hash", "in", emailHashes).execute();
      return new Set(rows.map((r) => r.email_hash));
    }
  };
}
async function settleSentIn({ hot, postgres }, trx, settles) {
  if (settles.length === 0) return 0;
  if (postgres) return Number((await trx.executeQuery(settleAllPostgres(settles))).rows[0].settled);
  let settled = 0;
  for (const s of settles) {
    const response = s.response.slice(0, 1e3);
    const marked = await trx.executeQuery(hot.markSent({ deliveryId: s.deliveryId, at: s.at, response }));
    if (Number(marked.numAffectedRows) === 0) continue;
    await trx.executeQuery(hot.recordSent({ deliveryId: s.deliveryId, at: s.at, response }));
    await trx.executeQuery(hot.afterSent(s));
    settled++;
  }
  return settled;
}
async function claimIn({ hot, postgres }, trx, c) {
  if (postgres) {
    const row = (await trx.executeQuery(claimPostgres(c))).rows[0];
    return { moved: Number(row.moved) === 1, ...row.id === null ? {} : { id: Number(row.id) } };
  }
  const moved = await trx.executeQuery(hot.moveNextSend(c));
  if (Number(moved.numAffectedRows) !== 1) return { moved: false };
  const inserted = (await trx.executeQuery(hot.insertClaim(c))).rows[0];
  return { moved: true, ...inserted ? { id: inserted.id } : {} };
}
async function claimMany(ledger, claims, settles) {
  if (claims.length === 0 && settles.length === 0) return { claimed: [], settled: 0 };
  try {
    return await ledger.db.transaction().execute(async (trx) => {
      const settled = await settleSentIn(ledger, trx, settles);
      return { claimed: await claimEachIn(ledger, trx, claims), settled };
    });
  } catch (e) {
    if (claims.length === 0) throw e;
    const settled = settles.length > 0 ? await ledger.db.transaction().execute((trx) => settleSentIn(ledger, trx, settles)) : 0;
    return { failed: e, settled };
  }
}
async function claimEachIn(ledger, trx, claims) {
  const out = [];
  for (const c of claims) {
    const claimed = await claimIn(ledger, trx, c);
    if (claimed.moved && claimed.id !== void 0) {
      out.push({ id: claimed.id, attempts: 1, createdAt: c.at });
      continue;
    }
    if (claimed.moved) {
      await trx.executeQuery(
        ledger.hot.moveNextSend({
          subscriberId: c.subscriberId,
          cycle: c.cycle,
          expectedNextSendAt: c.nextSendAt,
          nextSendAt: c.expectedNextSendAt
        })
      );
    }
    out.push(void 0);
  }
  return out;
}
function ledgerClaims(ledger) {
  return {
    claimMany: (claims, settles) => claimMany(ledger, claims, settles),
    /** One claim, with the settle of a message just sent riding in its transaction. */
    async claimNew(c, settleFirst) {
      const outcome = await claimMany(ledger, [c], settleFirst ? [settleFirst] : []);
      if ("failed" in outcome) throw outcome.failed;
      return outcome.claimed[0];
    },
    async settleSent(s) {
      return await ledger.db.transaction().execute((trx) => settleSentIn(ledger, trx, [s])) === 1;
    }
  };
}
async function pendingRetries(db, now, staleBefore, afterId, limit) {
  const rows = await pendingDeliveriesQuery(db, now, staleBefore).innerJoin("subscribers as s", "s.id", "d.subscriber_id").where("d.id", ">", afterId).select([
    "d.id",
    "d.tip_slug",
    "d.week",
    "d.cycle",
    "d.state",
    "d.attempts",
    "d.message_id",
    "d.created_at",
    "d.claimed_at",
    "s.id as subscriber_id",
    "s.public_id",
    "s.email",
    "s.name",
    "s.status",
    "s.cycle as subscriber_cycle",
    "s.timezone",
    "s.send_time"
  ]).orderBy("d.id").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.tip_slug,
    week: r.week,
    cycle: r.cycle,
    state: r.state,
    attempts: r.attempts,
    messageId: r.message_id,
    createdAt: r.created_at,
    claimedAt: r.claimed_at,
    subscriber: {
      id: r.subscriber_id,
      publicId: r.public_id,
      email: r.email,
      name: r.name,
      status: r.status,
      cycle: r.subscriber_cycle,
      timezone: r.timezone,
      sendTime: r.send_time
    }
  }));
}
function claimRenewals(db) {
  return {
    async reschedule(subscriberId, expected, nextSendAt) {
      const r = await db.updateTable("subscribers").set({ next_send_at: nextSendAt }).where("id", "=", subscriberId).where("status", "=", "active").where("next_send_at", "=", expected).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async claimRetry(d, at) {
      const r = await db.updateTable("deliveries").set((eb) => ({
        state: "sending",
        claimed_at: at,
        attempts: eb("attempts", "+", 1),
        ...d.attempts === 0 ? { created_at: at } : {}
      })).where("id", "=", d.id).where("state", "=", d.state).where("attempts", "=", d.attempts).$if(d.state === "sending", (qb) => qb.where("claimed_at", d.claimedAt === null ? "is" : "=", d.claimedAt)).where(
        ({ exists, selectFrom }) => exists(
          selectFrom("subscribers as s").select("s.id").whereRef("s.id", "=", "deliveries.subscriber_id").whereRef("s.cycle", "=", "deliveries.cycle").where("s.status", "=", "active")
        )
      ).executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async renewClaims(deliveryIds, at) {
      if (deliveryIds.length === 0) return;
      await db.updateTable("deliveries").set({ claimed_at: at }).where("id", "in", deliveryIds).where("state", "=", "sending").execute();
    }
  };
}
function handBacks(db) {
  return {
    async settleHandedBack(deliveryId, at, response) {
      const r = await db.updateTable("deliveries").set((eb) => ({
        state: "retry",
        attempts: eb("attempts", "-", 1),
        next_attempt_at: at,
        last_response: response.slice(0, 1e3)
      })).where("id", "=", deliveryId).where("state", "=", "sending").executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async chargeHandedBack(c) {
      return db.transaction().execute(async (trx) => {
        const response = c.response.slice(0, 1e3);
        const r = await trx.updateTable("deliveries").set((eb) => ({
          state: c.nextAttemptAt === null ? "failed" : "retry",
          attempts: eb("attempts", "+", 1),
          next_attempt_at: c.nextAttemptAt,
          last_response: response
        })).where("id", "=", c.deliveryId).where("state", "=", "retry").where("attempts", "=", c.attempts).executeTakeFirst();
        if (Number(r.numUpdatedRows) !== 1) return false;
        await trx.insertInto("delivery_attempts").values({ delivery_id: c.deliveryId, at: c.at, outcome: "temporary", response }).execute();
        return true;
      });
    }
  };
}
function failureSettles(db) {
  return {
    settleRetry: (deliveryId, at, response, nextAttemptAt) => settleFailure(db, deliveryId, { state: "retry", nextAttemptAt, attempt: { at, outcome: "temporary" } }, response),
    // A skip (reader gone, tip withdrawn) is not an SMTP attempt; only real attempts are listed.
    settleFailed: (deliveryId, at, response, outcome) => settleFailure(
      db,
      deliveryId,
      { state: "failed", nextAttemptAt: null, attempt: outcome === "temporary" ? { at, outcome } : null },
      response
    ),
    settleRefused: (deliveryId, at, response, nextAttemptAt) => settleFailure(db, deliveryId, { state: "retry", nextAttemptAt, attempt: { at, outcome: "permanent" } }, response)
  };
}
async function settleFailure(db, deliveryId, settle, response) {
  const said = response.slice(0, 1e3);
  return db.transaction().execute(async (trx) => {
    const r = await trx.updateTable("deliveries").set({ state: settle.state, next_attempt_at: settle.nextAttemptAt, last_response: said }).where("id", "=", deliveryId).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    if (settle.attempt) {
      await trx.insertInto("delivery_attempts").values({ delivery_id: deliveryId, at: settle.attempt.at, outcome: settle.attempt.outcome, response: said }).execute();
    }
    return true;
  });
}
function settleBounced(db, b) {
  return db.transaction().execute(async (trx) => {
    let q = trx.updateTable("deliveries").set({ state: "bounced", next_attempt_at: null, last_response: b.response.slice(0, 1e3) }).where("id", "=", b.deliveryId);
    if (b.heldAttempts !== void 0) q = q.where("state", "=", "retry").where("attempts", "=", b.heldAttempts);
    const r = await q.executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return false;
    if (b.heldAttempts === void 0) {
      await trx.insertInto("delivery_attempts").values({ delivery_id: b.deliveryId, at: b.at, outcome: "permanent", response: b.response.slice(0, 1e3) }).execute();
    }
    await trx.updateTable("subscribers").set({ status: "bounced", status_changed_at: b.at, next_send_at: null }).where("id", "=", b.subscriberId).execute();
    await trx.insertInto("suppressions").values({ email_hash: b.emailHash, reason: "bounced", created_at: b.at }).onConflict((oc) => oc.doNothing()).execute();
    return true;
  });
}
function settleAllPostgres(settles) {
  return CompiledQuery.raw(
    `with s as (
       select * from unnest($1::integer[], $2::integer[], $3::bigint[], $4::text[], $5::bigint[]) as s(delivery_id, subscriber_id, at, response, next_send_at)
     ), sent as (
       update deliveries d set state = 'sent', sent_at = s.at, next_attempt_at = null, last_response = s.response from s where d.id = s.delivery_id
       returning s.delivery_id, s.subscriber_id, s.at, s.response, s.next_send_at
     ), attempt as (
       insert into delivery_attempts (delivery_id, at, outcome, response) select delivery_id, at, 'sent', response from sent
     ), moved as (
       update subscribers r set last_sent_at = sent.at, next_send_at = case when r.status = 'active' then sent.next_send_at else r.next_send_at end
         from sent where r.id = sent.subscriber_id
     )
     select count(*) as settled from sent`,
    [
      settles.map((s) => s.deliveryId),
      settles.map((s) => s.subscriberId),
      settles.map((s) => s.at),
      settles.map((s) => s.response.slice(0, 1e3)),
      settles.map((s) => s.nextSendAt)
    ]
  );
}
function claimPostgres(c) {
  return CompiledQuery.raw(
    `with moved as (
       update subscribers set next_send_at = $1
        where id = (select s.id from subscribers s where s.id = $2 and s.status = 'active' and s.cycle = $3 and s.next_send_at = $4 for update skip locked)
       returning id
     ), inserted as (
       insert into deliveries (subscriber_id, tip_slug, cycle, week, state, attempts, message_id, created_at, claimed_at)
       select id, $5, $3, $6, 'sending', 1, $7, $8, $8 from moved
       on conflict (subscriber_id, tip_slug, cycle) do update
         set state = 'sending', attempts = 1, week = excluded.week, created_at = excluded.created_at, claimed_at = excluded.claimed_at, sent_at = null, next_attempt_at = null
         where deliveries.state = 'failed'
       returning id
     )
     select (select count(*) from moved) as moved, (select id from inserted) as id`,
    [c.nextSendAt, c.subscriberId, c.cycle, c.expectedNextSendAt, c.slug, c.week, c.messageId, c.at]
  );
}
function hotQueries(db) {
  const engine = engineOf(db);
  return {
    // On PostgreSQL the row is taken with FOR UPDATE SKIP LOCKED: when another sender (or a site
    // request) holds this subscriber, the claim is lost at once instead of queueing behind it.
    // Waiting buys nothing (the holder is about to move next_send_at, so the condition would fail
    // anyway) and could deadlock: a claim transaction also holds the row it settles first. A
    // reader skipped because of a site write is due again at the next pass. SQLite has one
    // writer at a time, so there the plain conditional UPDATE is the same thing.
    moveNextSend: reusableQuery(
      ["subscriberId", "cycle", "expectedNextSendAt", "nextSendAt"],
      (v) => engine === "postgres" ? db.updateTable("subscribers").set({ next_send_at: v.nextSendAt }).where(
        "id",
        "=",
        (eb) => eb.selectFrom("subscribers as s").select("s.id").where("s.id", "=", v.subscriberId).where("s.status", "=", "active").where("s.cycle", "=", v.cycle).where("s.next_send_at", "=", v.expectedNextSendAt).forUpdate().skipLocked()
      ) : db.updateTable("subscribers").set({ next_send_at: v.nextSendAt }).where("id", "=", v.subscriberId).where("status", "=", "active").where("cycle", "=", v.cycle).where("next_send_at", "=", v.expectedNextSendAt)
    ),
    insertClaim: reusableQuery(
      ["subscriberId", "slug", "cycle", "week", "messageId", "at"],
      (v) => db.insertInto("deliveries").values({
        subscriber_id: v.subscriberId,
        tip_slug: v.slug,
        cycle: v.cycle,
        week: v.week,
        state: "sending",
        attempts: 1,
        message_id: v.messageId,
        created_at: v.at,
        claimed_at: v.at
      }).onConflict(
        (oc) => oc.columns(["subscriber_id", "tip_slug", "cycle"]).doUpdateSet((eb) => ({
          state: "sending",
          attempts: 1,
          week: eb.ref("excluded.week"),
          created_at: eb.ref("excluded.created_at"),
          claimed_at: eb.ref("excluded.claimed_at"),
          sent_at: null,
          next_attempt_at: null
        })).where("deliveries.state", "=", "failed")
      ).returning("id")
    ),
    markSent: reusableQuery(
      ["deliveryId", "at", "response"],
      (v) => db.updateTable("deliveries").set({ state: "sent", sent_at: v.at, next_attempt_at: null, last_response: v.response }).where("id", "=", v.deliveryId)
    ),
    recordSent: reusableQuery(
      ["deliveryId", "at", "response"],
      (v) => db.insertInto("delivery_attempts").values({ delivery_id: v.deliveryId, at: v.at, outcome: "sent", response: v.response })
    ),
    // next_send_at moves only while they are active (an unsubscribe may have come meanwhile).
    afterSent: reusableQuery(
      ["subscriberId", "at", "nextSendAt"],
      (v) => db.updateTable("subscribers").set((eb) => ({
        last_sent_at: v.at,
        next_send_at: eb.case().when("status", "=", "active").then(v.nextSendAt).else(eb.ref("next_send_at")).end()
      })).where("id", "=", v.subscriberId)
    )
  };
}
export {
  kyselyDeliveryStore
};
//# sourceMappingURL=deliveries.js.map
