// ../../work/wt/h-studio/src/store/due.ts
function dueSubscribersQuery(db, now) {
  return db.selectFrom("subscribers").where("status", "=", "active").where("next_send_at", "<=", now);
}
function pendingDeliveriesQuery(db, now, staleBefore) {
  return db.selectFrom("deliveries as d").where(
    (eb) => eb.or([
      eb.and([eb("d.state", "=", "retry"), eb("d.next_attempt_at", "<=", now)]),
      eb.and([eb("d.state", "=", "sending"), eb("d.claimed_at", "<", staleBefore)])
    ])
  );
}
async function countDueSubscribers(db, now) {
  const row = await dueSubscribersQuery(db, now).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}
export {
  countDueSubscribers,
  dueSubscribersQuery,
  pendingDeliveriesQuery
};
//# sourceMappingURL=due.js.map
