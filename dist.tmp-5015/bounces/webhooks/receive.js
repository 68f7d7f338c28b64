// ../../work/wt/h-studio/src/bounces/webhooks/receive.ts
import { applyNotice } from "../apply.js";
import { checkMailgunSignature, MAILGUN_WINDOW_MS, mailgunNotice } from "./mailgun.js";
import { postmarkAuthorized, postmarkNotice } from "./postmark.js";
async function receivePostmark(deps, settings, request, now) {
  if (!postmarkAuthorized(request.authorization, settings.postmarkAuth))
    return { status: 401, why: "bad or missing basic auth" };
  const read = postmarkNotice(request.body);
  if (!read.ok)
    return read.ignored ? { status: 200, result: { outcome: "ignored", text: read.why } } : { status: 400, why: read.why };
  return { status: 200, result: await applyNotice(deps, read.notice, now) };
}
async function receiveMailgun(deps, settings, body, now) {
  const check = checkMailgunSignature(body, settings.mailgunKey, now);
  if (!check.ok) return { status: 401, why: check.why };
  const at = now.getTime();
  if (!await deps.tokens.firstSight(`mailgun:${check.token}`, at, at - 2 * MAILGUN_WINDOW_MS))
    return { status: 401, why: "Mailgun token seen before (replay)" };
  try {
    const read = mailgunNotice(body);
    if (!read.ok)
      return read.ignored ? { status: 200, result: { outcome: "ignored", text: read.why } } : { status: 400, why: read.why };
    return { status: 200, result: await applyNotice(deps, read.notice, now) };
  } catch (e) {
    await deps.tokens.forget(`mailgun:${check.token}`).catch(() => {
    });
    throw e;
  }
}
export {
  receiveMailgun,
  receivePostmark
};
//# sourceMappingURL=receive.js.map
