// ../../work/wt/h-studio/src/web/feedback-pages.ts
import { MAX_COMMENT_LENGTH } from "../subscription/feedback.js";
import { html, trusted } from "./html.js";
import { layout } from "./pages.js";
var ANSWER_WORDS = { yes: "Yes", no: "Not really" };
var QUESTION = "Did this help?";
var COMMENT_LABEL = "What would help more?";
function tipLine(title) {
  return title !== void 0 && html`<p class="lead">About the tip “${title}”.</p>`;
}
function commentForm(action, hidden, comment) {
  return html`<form method="post" action="${action}" class="feedback-comment">
${Object.entries(hidden).map(([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`)}
<div class="field">
<label for="comment">${COMMENT_LABEL} <span class="optional">(optional, one line)</span></label>
<input id="comment" name="comment" type="text" maxlength="${MAX_COMMENT_LENGTH}" value="${comment ?? ""}" autocomplete="off">
<span class="hint">Please do not write anything about your health that you would not want us to keep.</span>
</div>
<button type="submit">Send</button>
</form>`;
}
function readerFeedbackPage(ctx, state) {
  const action = `/feedback?token=${encodeURIComponent(state.token)}`;
  const chosen = state.preset ?? state.saved?.answer;
  const choice = (answer) => html`<label class="check"><input type="radio" name="answer" value="${answer}"${trusted(chosen === answer ? " checked" : "")} required> ${ANSWER_WORDS[answer]}</label>`;
  const answerForm = html`<form method="post" action="${action}">
<fieldset class="choices"><legend>${QUESTION}</legend>
${choice("yes")}
${choice("no")}
</fieldset>
<button type="submit"${trusted(state.justSaved && state.saved ? ' class="secondary"' : "")}>${state.saved ? "Change my answer" : "Send my answer"}</button>
</form>`;
  if (state.justSaved && state.saved) {
    return layout(
      ctx,
      "Thank you",
      html`<h1>Thank you</h1>
<p class="notice" role="status">Your answer is saved: <strong>${ANSWER_WORDS[state.saved.answer]}</strong>.${state.saved.comment ? html` Your comment: “${state.saved.comment}”` : ""}</p>
${tipLine(state.title)}
${commentForm(action, { answer: state.saved.answer }, state.saved.comment)}
<h2>Change your answer</h2>
${answerForm}
${privacyNote}`
    );
  }
  return layout(
    ctx,
    QUESTION,
    html`<h1>${QUESTION}</h1>
${state.error !== void 0 && html`<p class="error" role="alert">${state.error}</p>`}
${tipLine(state.title)}
${state.saved && html`<p>You answered <strong>${ANSWER_WORDS[state.saved.answer]}</strong> before. Sending again replaces it.</p>`}
${answerForm}
<p class="hint">Nothing is saved until you press the button.</p>
${privacyNote}`
  );
}
var privacyNote = html`<p class="hint">We keep one answer per tip with your subscription, to learn which tips to keep or rewrite. Nothing else: no opens, no clicks. You can download or delete it with your data from the preferences link in any email.</p>`;
function feedbackBlock(slug) {
  return html`<section class="feedback" aria-labelledby="feedback-heading">
<h2 id="feedback-heading">${QUESTION}</h2>
<form method="post" action="/tips/${encodeURIComponent(slug)}/feedback" class="inline">
<button type="submit" name="answer" value="yes">${ANSWER_WORDS.yes}</button>
<button type="submit" name="answer" value="no" class="secondary">${ANSWER_WORDS.no}</button>
</form>
<p class="hint">Anonymous: we count answers per tip and keep nothing about you.</p>
</section>`;
}
function webFeedbackThanksPage(ctx, state) {
  const action = `/tips/${encodeURIComponent(state.slug)}/feedback`;
  return layout(
    ctx,
    "Thank you",
    html`<h1>Thank you</h1>
<p class="notice" role="status">${state.commented ? "Your comment is saved. Thank you for taking the time." : "Your answer is counted."}</p>
${state.error !== void 0 && html`<p class="error" role="alert">${state.error}</p>`}
${tipLine(state.title)}
${!state.commented && commentForm(action, { token: state.token }, null)}
<p class="hint">Anonymous: we keep the answer${state.commented ? " and your comment" : ""} with the tip, and nothing about you.</p>
<p><a href="/tips/${encodeURIComponent(state.slug)}">Back to the tip</a></p>`
  );
}
export {
  ANSWER_WORDS,
  feedbackBlock,
  readerFeedbackPage,
  webFeedbackThanksPage
};
//# sourceMappingURL=feedback-pages.js.map
