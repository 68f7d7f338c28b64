// ../../work/wt/h-studio/src/store/relay-state.ts
async function noteRelayState(db, note) {
  const rows = [
    ...note.connectionFailure ? [
      {
        kind: "connection_failure",
        cause: "",
        count: 1,
        last_at: note.connectionFailure.at,
        last_detail: note.connectionFailure.what.slice(0, 1e3)
      }
    ] : [],
    ...note.stopped ? [
      {
        kind: "pass_stopped",
        cause: note.stopped.cause,
        count: 1,
        last_at: note.stopped.at,
        last_detail: note.stopped.why.slice(0, 1e3)
      }
    ] : []
  ];
  for (const row of rows) {
    await db.insertInto("relay_state").values(row).onConflict(
      (oc) => oc.columns(["kind", "cause"]).doUpdateSet((eb) => ({
        count: eb("relay_state.count", "+", 1),
        last_at: eb.ref("excluded.last_at"),
        last_detail: eb.ref("excluded.last_detail")
      }))
    ).execute();
  }
}
async function readRelayState(db) {
  const rows = await db.selectFrom("relay_state").selectAll().execute();
  const event = (r) => ({
    count: Number(r.count),
    lastAt: Number(r.last_at),
    last: r.last_detail
  });
  const failure = rows.find((r) => r.kind === "connection_failure");
  return {
    lastConnectionFailure: failure ? event(failure) : null,
    passesStopped: Object.fromEntries(
      rows.filter((r) => r.kind === "pass_stopped").sort((a, b) => a.cause.localeCompare(b.cause)).map((r) => [r.cause, event(r)])
    )
  };
}
export {
  noteRelayState,
  readRelayState
};
//# sourceMappingURL=relay-state.js.map
