// ../../work/wt/h-studio/src/web/pages.ts
import { describeLocalTime } from "../content/local-time.js";
import { aliasesOf, canonicalZone, zonesByRegion } from "../series/zones.js";
import { MAX_NAME_LENGTH } from "../render/personalise.js";
import { MAX_ADDRESS_LENGTH } from "../subscription/address.js";
import { isSubscribed } from "../subscription/status.js";
import { html, trusted } from "./html.js";
import { pageShell } from "./public/layout.js";
function layout(ctx, title, body) {
  return pageShell({ series: ctx.series }, { title, description: ctx.series.tagline, noindex: true, card: true }, body);
}
var ICONS = {
  // An envelope: something is on its way to the inbox.
  mail: '<rect x="8" y="13" width="32" height="22" rx="3"/><path d="M9 15l15 11 15-11"/>',
  // A tick: done.
  done: '<path d="M15 24.5l6.5 6.5L33.5 18"/>'
};
function statusIcon(kind) {
  return trusted(
    `<svg class="status-icon" aria-hidden="true" focusable="false" viewBox="0 0 48 48" width="56" height="56"><circle cx="24" cy="24" r="23"/><g fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">${ICONS[kind]}</g></svg>`
  );
}
function subscribeForm(state = {}) {
  const invalid = state.error !== void 0;
  const field = state.errorField ?? "email";
  const marked = (name) => trusted(invalid && field === name ? ` aria-invalid="true" aria-describedby="${name}-error"` : "");
  return html`<form method="post" action="/subscribe">
${invalid && html`<p class="error" id="${field}-error" role="alert">${state.error}</p>`}
<div class="field">
<label for="email">Your email address</label>
<input id="email" name="email" type="email" required autocomplete="email" inputmode="email" maxlength="${MAX_ADDRESS_LENGTH}" value="${state.email ?? ""}"${marked("email")}>
</div>
<div class="field">
<label for="name">First name <span class="optional">(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="given-name" maxlength="${MAX_NAME_LENGTH}" value="${state.name ?? ""}"${marked("name")}>
</div>
<input type="hidden" name="timezone" value="">
<div class="hp" aria-hidden="true"><label for="website">Leave this field empty</label><input id="website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">Subscribe</button>
<p class="hint">We will email you a link to confirm. Nothing more arrives until you press it.</p>
</form>`;
}
var SUBSCRIBE_ANSWER = "If this address is not subscribed yet, an email with a link to confirm is on its way. The link works for 7 days.";
function checkInboxPage(ctx) {
  return layout(
    ctx,
    "Check your inbox",
    html`${statusIcon("mail")}
<h1>Check your inbox</h1>
<p class="notice" role="status">${SUBSCRIBE_ANSWER}</p>
<p>Nothing after a few minutes? Look in your spam or promotions folder. You can ask for a new link in 10 minutes.</p>
<p><a href="/">Back to the start page</a></p>`
  );
}
var linkHelp = html`<p>Links in our emails are personal and some expire. You can always <a href="/">subscribe again on the start page</a>; the unsubscribe link at the bottom of any tip works for a year.</p>`;
function errorPage(ctx, title, message, extra = linkHelp) {
  return layout(ctx, title, html`<h1>${title}</h1><p>${message}</p>${extra}`);
}
function localTime(ms, zone) {
  return describeLocalTime(ms, zone);
}
var tokenAction = (route, token) => `/${route}?token=${encodeURIComponent(token)}`;
function confirmPage(ctx, token) {
  return layout(
    ctx,
    "Confirm your subscription",
    html`<h1>One more step</h1>
<p>Press the button to start getting ${ctx.series.name}: one short tip a week, in your evening.</p>
<form method="post" action="${tokenAction("confirm", token)}">
<button type="submit">Yes, start my weekly tips</button>
</form>
<p class="hint">Did not ask for this? Close this page and nothing happens.</p>`
  );
}
function confirmedPage(ctx, s, preferencesToken, already) {
  const zone = s.timezone ?? ctx.defaultTimezone;
  return layout(
    ctx,
    already ? "Already confirmed" : "You are in",
    html`${statusIcon("done")}
<h1>${already ? "You are already subscribed" : "You are in"}</h1>
<p class="notice" role="status">${already ? "Your subscription was confirmed before; nothing changed." : "Thank you. A welcome email is on its way."}</p>
${s.status === "active" && s.nextSendAt !== null && html`<p>Your first tip arrives on ${localTime(s.nextSendAt, zone)}.</p>`}
${s.status === "paused" && html`<p>Your tips are paused.</p>`}
<p><a href="${tokenAction("preferences", preferencesToken)}">Change your time zone, send time or name</a></p>`
  );
}
function unsubscribePage(ctx, token, preferencesToken) {
  return layout(
    ctx,
    "Unsubscribe",
    html`<h1>Unsubscribe from ${ctx.series.name}?</h1>
<p>You will get no more tips. It takes effect at once.</p>
<form method="post" action="${tokenAction("unsubscribe", token)}">
<input type="hidden" name="source" value="page">
<button type="submit">Unsubscribe</button>
</form>
<p>Need a break instead? <a href="${tokenAction("preferences", preferencesToken)}#pause">Pause the tips</a> and come back when you like.</p>`
  );
}
function unsubscribedPage(ctx, wasSubscribed) {
  return layout(
    ctx,
    "Unsubscribed",
    html`${statusIcon("done")}
<h1>You are unsubscribed</h1>
<p class="notice" role="status">${wasSubscribed ? "Done. You will get no more tips from us." : "This address is not subscribed; you will get no tips from us."}</p>
<p>Changed your mind? <a href="/">Subscribe again</a>.</p>`
  );
}
function zoneOptions(stored) {
  const selected = canonicalZone(stored);
  const groups = zonesByRegion();
  const known = groups.some((g) => g.zones.includes(selected));
  const option = (z) => {
    const aliases = aliasesOf(z);
    return html`<option value="${z}"${trusted(z === selected ? " selected" : "")}${aliases.length ? html` data-alias="${aliases.join(" ")}"` : ""}>${z.replace(/_/g, " ")}</option>`;
  };
  return html`${!known && html`<optgroup label="Your zone">${option(selected)}</optgroup>`}${groups.map((g) => html`<optgroup label="${g.region}">${g.zones.map(option)}</optgroup>`)}`;
}
function zoneDatalist() {
  return html`<datalist id="zone-names">${zonesByRegion().flatMap((g) => g.zones).map((z) => html`<option value="${z}">`)}</datalist>`;
}
function fieldError(id, message) {
  return message !== void 0 && html`<p class="error" id="${id}-error">${message}</p>`;
}
function invalidAttrs(id, message) {
  return trusted(message !== void 0 ? ` aria-invalid="true" aria-describedby="${id}-error"` : "");
}
function nextTipLine(ctx, s) {
  return s.status === "active" && s.nextSendAt !== null ? `Your next tip arrives on ${localTime(s.nextSendAt, s.timezone ?? ctx.defaultTimezone)}.` : s.status === "paused" ? "Your tips are paused. Resume them whenever you like." : s.status === "pending" ? "Your subscription is not confirmed yet: use the link in the confirmation email." : "You are not subscribed, so you get no tips. You can still download or delete your data here.";
}
function actionNotice(state) {
  return state.message !== void 0 && (state.isError ? html`<p class="error" role="alert">${state.message}</p>` : html`<p class="notice" role="status">${state.message}</p>`);
}
function subscriptionForms(ctx, s, action, unsubscribeToken, state) {
  const zone = state.values?.timezone ?? s.timezone ?? ctx.defaultTimezone;
  const sendTime = state.values?.sendTime ?? s.sendTime ?? ctx.series.sendTime;
  const name = state.values?.name ?? s.name ?? "";
  const e = state.errors ?? {};
  const browserZone = s.timezone === null && state.values?.timezone === void 0;
  return html`<form method="post" action="${action}">
<input type="hidden" name="action" value="save">
<div class="field">
<label for="name">First name <span class="optional">(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="given-name" maxlength="${MAX_NAME_LENGTH}" value="${name}"${invalidAttrs("name", e.name)}>
${fieldError("name", e.name)}
</div>
<div class="field">
<label for="timezone">Time zone</label>
<select id="timezone" name="timezone"${trusted(browserZone ? " data-browser-zone" : "")}${invalidAttrs("timezone", e.timezone)}>${zoneOptions(zone)}</select>
${fieldError("timezone", e.timezone)}
<label for="timezoneTyped" class="sub">Or type a city or zone <span class="optional">(e.g. Kolkata, New York, Europe/Kyiv)</span></label>
<input id="timezoneTyped" name="timezoneTyped" type="text" list="zone-names" autocomplete="off" value="${state.values?.timezoneTyped ?? ""}">
${zoneDatalist()}
</div>
<div class="field">
<label for="sendTime">Send time <span class="hint">Your local time, e.g. 19:00 (7 pm)</span></label>
<input id="sendTime" name="sendTime" type="time" required value="${sendTime}"${invalidAttrs("sendTime", e.sendTime)}>
${fieldError("sendTime", e.sendTime)}
</div>
<button type="submit">Save</button>
</form>
<h2 id="pause">${s.status === "paused" ? "Resume" : "Pause"}</h2>
<form method="post" action="${action}" class="inline">
<input type="hidden" name="action" value="${s.status === "paused" ? "resume" : "pause"}">
<button type="submit" class="secondary">${s.status === "paused" ? "Resume my tips" : "Pause my tips"}</button>
</form>
<h2 id="restart">Start again from week one</h2>
<p>Get every tip again, one a week, from the first.</p>
<form method="post" action="${action}" class="inline">
<input type="hidden" name="action" value="restart">
<button type="submit" class="secondary">Restart the series</button>
</form>
<h2>Leave</h2>
<p><a href="${tokenAction("unsubscribe", unsubscribeToken)}">Unsubscribe</a></p>`;
}
function dataForms(action) {
  return html`<h2 id="data">Your data</h2>
<p>Everything we keep about you: your address, name, settings, the record of your consent, which emails we sent and your "Did this help?" answers.</p>
<form method="post" action="${action}" class="inline"><input type="hidden" name="action" value="export"><button type="submit" class="secondary">Download my data (JSON)</button></form>
<form method="post" action="${action}" class="inline">
<input type="hidden" name="action" value="delete">
<label class="check"><input type="checkbox" name="confirm" value="yes" required> Delete my address, settings and history now. This cannot be undone.</label>
<button type="submit" class="danger">Delete my data</button>
</form>`;
}
function preferencesPage(ctx, s, token, unsubscribeToken, state = {}) {
  const action = tokenAction("preferences", token);
  return layout(
    ctx,
    "Your preferences",
    html`<h1>Your preferences</h1>
<p class="lead">For <strong>${s.email}</strong></p>
${actionNotice(state)}
<p id="next-tip">${nextTipLine(ctx, s)}</p>
${isSubscribed(s.status) && subscriptionForms(ctx, s, action, unsubscribeToken, state)}
${dataForms(action)}`
  );
}
function deletedPage(ctx) {
  return layout(
    ctx,
    "Your data is deleted",
    html`${statusIcon("done")}
<h1>Your data is deleted</h1>
<p class="notice" role="status">We erased your address, settings and history. We keep only a one-way fingerprint of the address, so we never email it again unless you subscribe anew.</p>
<p><a href="/">Back to the start page</a></p>`
  );
}
export {
  SUBSCRIBE_ANSWER,
  checkInboxPage,
  confirmPage,
  confirmedPage,
  deletedPage,
  errorPage,
  layout,
  localTime,
  preferencesPage,
  subscribeForm,
  unsubscribePage,
  unsubscribedPage
};
//# sourceMappingURL=pages.js.map
