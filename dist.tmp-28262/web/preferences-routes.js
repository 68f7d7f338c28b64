// ../../work/wt/h-studio/src/web/preferences-routes.ts
import { isSubscribed } from "../subscription/status.js";
import { zoneFromTyped } from "../series/zones.js";
import { deletedPage, preferencesPage } from "./pages.js";
import { field, sendPage } from "./http.js";
import { problemPage, signerFor, tokenOf } from "./signed-links.js";
var statusMessages = {
  saved: () => "Saved.",
  paused: () => "Paused. You will get no tips until you resume.",
  "already-paused": () => "Your tips were already paused.",
  resumed: () => "Welcome back.",
  "already-on": () => "Your tips were already on.",
  restarted: (s) => `The series starts again from week one.${s.status === "paused" ? " Resume your tips to get them." : ""}`
};
function registerPreferencesRoutes(app, deps) {
  const { ctx, subscriptions, now } = deps;
  const sign = signerFor(deps.secret, now);
  app.get("/preferences", async (request, reply) => {
    const token = tokenOf(request);
    const r = await subscriptions.resolve(token, "preferences", now());
    if (!r.ok) return problemPage(ctx, reply, r.problem);
    const status = request.query.status;
    const message = typeof status === "string" && Object.hasOwn(statusMessages, status) ? statusMessages[status](r.subscriber) : void 0;
    return sendPage(
      reply,
      200,
      preferencesPage(
        ctx,
        r.subscriber,
        token,
        sign("unsubscribe", r.subscriber),
        message === void 0 ? {} : { message }
      )
    );
  });
  app.get("/preferences/deleted", (_request, reply) => sendPage(reply, 200, deletedPage(ctx)));
  app.post("/preferences", async (request, reply) => {
    if (await deps.limited(request, reply)) return reply;
    const token = tokenOf(request);
    const at = now();
    const r = await subscriptions.resolve(token, "preferences", at);
    if (!r.ok) return problemPage(ctx, reply, r.problem);
    const s = r.subscriber;
    const post = {
      deps,
      reply,
      body: request.body,
      token,
      subscriber: s,
      at,
      page: (status, state) => sendPage(reply, status, preferencesPage(ctx, s, token, sign("unsubscribe", s), state)),
      // POST, redirect, GET: the browser ends on a page a refresh cannot submit again; the status
      // travels in the address once (the page's script removes it) and the page says when the next tip comes.
      done: (status) => reply.redirect(`/preferences?token=${encodeURIComponent(token)}&status=${status}`, 303)
    };
    return answerAction(post, field(request.body, "action"));
  });
}
async function answerAction(post, action) {
  const { subscriptions } = post.deps;
  const { subscriber: s, at } = post;
  switch (action) {
    case "export":
      return exportData(post);
    case "delete":
      return deleteData(post);
    case "save":
    case "pause":
    case "resume":
    case "restart":
      if (!isSubscribed(s.status))
        return post.page(409, {
          message: "You are not subscribed, so there is nothing to change. Subscribe again on the start page.",
          isError: true
        });
      break;
    default:
      return post.page(400, { message: "That button is not known here. Nothing was changed.", isError: true });
  }
  if (action === "save") return savePreferences(post);
  if (action === "pause") return post.done(await subscriptions.pause(s, at) ? "paused" : "already-paused");
  if (action === "resume") return post.done(await subscriptions.resume(s, at) ? "resumed" : "already-on");
  await subscriptions.restart(s, at);
  return post.done("restarted");
}
async function exportData({ deps, reply, subscriber, at }) {
  const data = await deps.subscriptions.exportData(subscriber, at);
  const name = deps.ctx.series.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "newsletter";
  return reply.type("application/json; charset=utf-8").header("content-disposition", `attachment; filename="${name}-my-data.json"`).send(`${JSON.stringify(data, null, 2)}
`);
}
async function deleteData(post) {
  if (field(post.body, "confirm") !== "yes")
    return post.page(400, {
      message: 'Nothing was deleted: tick the box to confirm, then press "Delete my data".',
      isError: true
    });
  await post.deps.subscriptions.erase(post.subscriber, post.at);
  return post.reply.redirect("/preferences/deleted", 303);
}
async function savePreferences(post) {
  const { body } = post;
  const typed = (field(body, "timezoneTyped") ?? "").trim();
  const timezone = typed ? zoneFromTyped(typed) ?? typed : field(body, "timezone");
  const result = await post.deps.subscriptions.updatePreferences(
    post.subscriber,
    { name: field(body, "name"), timezone, sendTime: field(body, "sendTime") },
    post.at
  );
  if (result.ok) return post.done("saved");
  return post.page(400, {
    message: "Nothing was saved: please correct the marked fields.",
    isError: true,
    errors: typed && result.errors.timezone ? {
      ...result.errors,
      timezone: `No time zone matches "${typed}": type a city like Kolkata or New York, or pick one from the list.`
    } : result.errors,
    values: {
      name: field(body, "name") ?? "",
      timezone: field(body, "timezone") ?? "",
      timezoneTyped: typed,
      sendTime: field(body, "sendTime") ?? ""
    }
  });
}
export {
  registerPreferencesRoutes
};
//# sourceMappingURL=preferences-routes.js.map
