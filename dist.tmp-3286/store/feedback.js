// ../../work/wt/h-studio/src/store/feedback.ts
function createFeedbackStore(db) {
  return {
    async answer(subscriberId, slug, answer, comment, now) {
      await db.insertInto("feedback").values({
        subscriber_id: subscriberId,
        tip_slug: slug,
        answer,
        comment: comment ?? null,
        created_at: now,
        updated_at: now
      }).onConflict(
        (oc) => oc.columns(["subscriber_id", "tip_slug"]).doUpdateSet((eb) => ({
          answer,
          updated_at: now,
          comment: comment === void 0 ? eb.ref("feedback.comment") : comment
        }))
      ).execute();
    },
    answerOf: (subscriberId, slug) => db.selectFrom("feedback").select(["answer", "comment"]).where("subscriber_id", "=", subscriberId).where("tip_slug", "=", slug).executeTakeFirst(),
    async anonymous(slug, answer, now) {
      const row = await db.insertInto("feedback").values({ subscriber_id: null, tip_slug: slug, answer, comment: null, created_at: now, updated_at: now }).returning("id").executeTakeFirstOrThrow();
      return Number(row.id);
    },
    async commentAnonymous(id, comment, now) {
      const r = await db.updateTable("feedback").set({ comment, updated_at: now }).where("id", "=", id).where("subscriber_id", "is", null).where("comment", "is", null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    ofReader: (subscriberId) => db.selectFrom("feedback").select(["tip_slug", "answer", "comment", "created_at", "updated_at"]).where("subscriber_id", "=", subscriberId).orderBy("created_at").orderBy("id").execute(),
    byTip: () => feedbackByTip(db),
    comments: (limit) => latestComments(db, limit)
  };
}
var noFeedback = (slug) => ({
  slug,
  yes: 0,
  no: 0,
  comments: 0,
  recipients: 0,
  webYes: 0,
  webNo: 0,
  webComments: 0
});
function addAnswers(t, r) {
  const n = Number(r.n);
  const c = Number(r.c);
  if (Number(r.anon) === 1) {
    if (r.answer === "yes") t.webYes += n;
    else t.webNo += n;
    t.webComments += c;
  } else {
    if (r.answer === "yes") t.yes += n;
    else t.no += n;
    t.comments += c;
  }
}
async function feedbackByTip(db) {
  const answers = await db.selectFrom("feedback").select((eb) => [
    "tip_slug",
    "answer",
    eb.case().when("subscriber_id", "is", null).then(1).else(0).end().as("anon"),
    eb.fn.countAll().as("n"),
    eb.fn.count("comment").as("c")
  ]).groupBy(["tip_slug", "answer", "anon"]).execute();
  const sent = await db.selectFrom("deliveries").select(["tip_slug", (eb) => eb.fn.count("subscriber_id").distinct().as("n")]).where("state", "=", "sent").groupBy("tip_slug").execute();
  const tips = /* @__PURE__ */ new Map();
  const tip = (slug) => {
    let t = tips.get(slug);
    if (!t) tips.set(slug, t = noFeedback(slug));
    return t;
  };
  for (const r of answers) addAnswers(tip(r.tip_slug), r);
  for (const r of sent) tip(r.tip_slug).recipients = Number(r.n);
  return [...tips.values()];
}
async function latestComments(db, limit) {
  const rows = await db.selectFrom("feedback").select(["tip_slug", "answer", "comment", "updated_at", "subscriber_id"]).where("comment", "is not", null).orderBy("updated_at", "desc").orderBy("id", "desc").limit(limit).execute();
  return rows.map((r) => ({
    slug: r.tip_slug,
    answer: r.answer,
    comment: r.comment ?? "",
    at: r.updated_at,
    anonymous: r.subscriber_id === null
  }));
}
export {
  createFeedbackStore
};
//# sourceMappingURL=feedback.js.map
