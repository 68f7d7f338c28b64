// ../../work/wt/h-studio/src/web/signed-links.ts
import { signToken } from "../subscription/tokens.js";
import { sendPage } from "./http.js";
import { errorPage } from "./pages.js";
var linkProblems = {
  malformed: {
    status: 400,
    title: "This link is not complete",
    message: "Part of the link seems to be missing, which happens when an email program breaks a long link. Open it again from the email, or copy the whole link."
  },
  "bad-signature": {
    status: 400,
    title: "This link is not valid",
    message: "We could not verify this link, so nothing was changed. Open it again from the email we sent you."
  },
  "wrong-purpose": {
    status: 400,
    title: "This link is for another page",
    message: "This link belongs to a different page of the newsletter, so nothing was changed. Use the link next to the button you want in the email."
  },
  expired: {
    status: 410,
    title: "This link has expired",
    message: "Confirmation links work for 7 days and the links in our tips for a year, so nothing was changed. To confirm, subscribe again on the start page for a new link; otherwise use the links in a more recent email."
  },
  "unknown-subscriber": {
    status: 404,
    title: "No subscription for this link",
    message: "We have no subscription for this link any more: it may have been deleted, or never confirmed within 30 days."
  },
  stale: {
    status: 409,
    title: "This link is older than your unsubscribe",
    message: "You unsubscribed after this link was sent, so it no longer subscribes you. Subscribe again on the start page if you want the tips back."
  },
  "not-mailable": {
    status: 409,
    title: "We cannot send to this address",
    message: "This address cannot get the newsletter (it bounced or reported our email as spam). Nothing was changed."
  }
};
function tokenOf(request) {
  return request.query?.token;
}
function problemPage(ctx, reply, problem) {
  const p = linkProblems[problem];
  return sendPage(reply, p.status, errorPage(ctx, p.title, p.message));
}
function signerFor(secret, now) {
  return (purpose, s) => signToken(secret, purpose, s.publicId, now());
}
export {
  linkProblems,
  problemPage,
  signerFor,
  tokenOf
};
//# sourceMappingURL=signed-links.js.map
