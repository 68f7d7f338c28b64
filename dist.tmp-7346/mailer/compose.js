// ../../work/wt/h-studio/src/mailer/compose.ts
import { cleanName } from "../render/personalise.js";
import { listIdFor, senderOf, stableMessageId } from "./headers.js";
import { encodeParts } from "./quoted-printable.js";
function senderFor(series, fromOverride) {
  const from = senderOf(series, fromOverride);
  return { from, listId: listIdFor(series.name, from) };
}
function tipMessageId(subscriberPublicId, slug, cycle, from) {
  return stableMessageId(["tip", slug, cycle, subscriberPublicId], from);
}
function bodyOf(email) {
  return isFinished(email) ? { html: email.html, text: email.text } : { encoded: encodeParts(email) };
}
var isFinished = (email) => typeof email.html === "string";
function composeTipMessage(email, to, sender, ids) {
  const name = cleanName(to.name);
  return {
    to: to.email,
    ...name ? { toName: name } : {},
    from: sender.from,
    subject: email.subject,
    ...bodyOf(email),
    messageId: ids.messageId,
    unsubscribeUrl: ids.unsubscribeUrl,
    listId: sender.listId,
    ...ids.returnPath ? { returnPath: ids.returnPath } : {},
    // Lets a support person or a test tell which tip a message is without parsing the subject.
    headers: { "X-Newsletter-Tip": ids.slug }
  };
}
export {
  bodyOf,
  composeTipMessage,
  senderFor,
  tipMessageId
};
//# sourceMappingURL=compose.js.map
