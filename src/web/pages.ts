import type { Series } from '../content/index.ts';
import { describeLocalTime } from '../content/local-time.ts';
import { aliasesOf, canonicalZone, zonesByRegion } from '../series/zones.ts';
import { MAX_NAME_LENGTH } from '../render/personalise.ts';
import type { Subscriber } from '../store/subscribers.ts';
import { MAX_ADDRESS_LENGTH } from '../subscription/address.ts';
import { isSubscribed } from '../subscription/status.ts';
import type { PreferenceErrors } from '../subscription/subscriptions.ts';
import { html, trusted, type SafeHtml } from './html.ts';
import { pageShell } from './public/layout.ts';

/** What every page needs to know about the newsletter. */
export interface PageContext {
  series: Series;
  /** NEWSLETTER_TIMEZONE, shown for readers who gave none. */
  defaultTimezone: string;
}

/**
 * The pages reached from personal links and forms (and errors): the site's frame, kept out of
 * search engines, the content in a card as tall as it is.
 */
export function layout(ctx: PageContext, title: string, body: SafeHtml): string {
  return pageShell({ series: ctx.series }, { title, description: ctx.series.tagline, noindex: true, card: true }, body);
}

const ICONS = {
  // An envelope: something is on its way to the inbox.
  mail: '<rect x="8" y="13" width="32" height="22" rx="3"/><path d="M9 15l15 11 15-11"/>',
  // A tick: done.
  done: '<path d="M15 24.5l6.5 6.5L33.5 18"/>',
} as const;

/** A status picture above a short page's heading; decorative, so hidden from screen readers. */
function statusIcon(kind: keyof typeof ICONS): SafeHtml {
  return trusted(
    `<svg class="status-icon" aria-hidden="true" focusable="false" viewBox="0 0 48 48" width="56" height="56"><circle cx="24" cy="24" r="23"/><g fill="none" stroke="currentColor" stroke-width="3" stroke-linecap="round" stroke-linejoin="round">${ICONS[kind]}</g></svg>`,
  );
}

export interface SubscribeFormState {
  email?: string;
  name?: string;
  error?: string;
  /** Which field the error is about (default: the address). */
  errorField?: 'email' | 'name';
}

/** The sign-up form (email, optional first name, the time zone the script fills in, a honeypot). */
export function subscribeForm(state: SubscribeFormState = {}): SafeHtml {
  const invalid = state.error !== undefined;
  const field = state.errorField ?? 'email';
  const marked = (name: 'email' | 'name') =>
    trusted(invalid && field === name ? ` aria-invalid="true" aria-describedby="${name}-error"` : '');
  return html`<form method="post" action="/subscribe">
${invalid && html`<p class="error" id="${field}-error" role="alert">${state.error}</p>`}
<div class="field">
<label for="email">Your email address</label>
<input id="email" name="email" type="email" required autocomplete="email" inputmode="email" maxlength="${MAX_ADDRESS_LENGTH}" value="${state.email ?? ''}"${marked('email')}>
</div>
<div class="field">
<label for="name">First name <span class="optional">(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="given-name" maxlength="${MAX_NAME_LENGTH}" value="${state.name ?? ''}"${marked('name')}>
</div>
<input type="hidden" name="timezone" value="">
<div class="hp" aria-hidden="true"><label for="website">Leave this field empty</label><input id="website" name="website" type="text" tabindex="-1" autocomplete="off"></div>
<button type="submit">Subscribe</button>
<p class="hint">We will email you a link to confirm. Nothing more arrives until you press it.</p>
</form>`;
}

export const SUBSCRIBE_ANSWER =
  'If this address is not subscribed yet, an email with a link to confirm is on its way. The link works for 7 days.';

export function checkInboxPage(ctx: PageContext): string {
  return layout(
    ctx,
    'Check your inbox',
    html`${statusIcon('mail')}
<h1>Check your inbox</h1>
<p class="notice" role="status">${SUBSCRIBE_ANSWER}</p>
<p>Nothing after a few minutes? Look in your spam or promotions folder. You can ask for a new link in 10 minutes.</p>
<p><a href="/">Back to the start page</a></p>`,
  );
}

const linkHelp = html`<p>Links in our emails are personal and some expire. You can always <a href="/">subscribe again on the start page</a>; the unsubscribe link at the bottom of any tip works for a year.</p>`;

export function errorPage(
  ctx: PageContext,
  title: string,
  message: string,
  extra: SafeHtml | false = linkHelp,
): string {
  return layout(ctx, title, html`<h1>${title}</h1><p>${message}</p>${extra}`);
}

/** The time a reader's next tip is due, in their own zone: "Tuesday 3 December at 19:00 (Europe/London)". */
export function localTime(ms: number, zone: string): string {
  return describeLocalTime(ms, zone);
}

const tokenAction = (route: string, token: string) => `/${route}?token=${encodeURIComponent(token)}`;

export function confirmPage(ctx: PageContext, token: string): string {
  return layout(
    ctx,
    'Confirm your subscription',
    html`<h1>One more step</h1>
<p>Press the button to start getting ${ctx.series.name}: one short tip a week, in your evening.</p>
<form method="post" action="${tokenAction('confirm', token)}">
<button type="submit">Yes, start my weekly tips</button>
</form>
<p class="hint">Did not ask for this? Close this page and nothing happens.</p>`,
  );
}

export function confirmedPage(ctx: PageContext, s: Subscriber, preferencesToken: string, already: boolean): string {
  const zone = s.timezone ?? ctx.defaultTimezone;
  return layout(
    ctx,
    already ? 'Already confirmed' : 'You are in',
    html`${statusIcon('done')}
<h1>${already ? 'You are already subscribed' : 'You are in'}</h1>
<p class="notice" role="status">${already ? 'Your subscription was confirmed before; nothing changed.' : 'Thank you. A welcome email is on its way.'}</p>
${s.status === 'active' && s.nextSendAt !== null && html`<p>Your first tip arrives on ${localTime(s.nextSendAt, zone)}.</p>`}
${s.status === 'paused' && html`<p>Your tips are paused.</p>`}
<p><a href="${tokenAction('preferences', preferencesToken)}">Change your time zone, send time or name</a></p>`,
  );
}

export function unsubscribePage(ctx: PageContext, token: string, preferencesToken: string): string {
  return layout(
    ctx,
    'Unsubscribe',
    html`<h1>Unsubscribe from ${ctx.series.name}?</h1>
<p>You will get no more tips. It takes effect at once.</p>
<form method="post" action="${tokenAction('unsubscribe', token)}">
<input type="hidden" name="source" value="page">
<button type="submit">Unsubscribe</button>
</form>
<p>Need a break instead? <a href="${tokenAction('preferences', preferencesToken)}#pause">Pause the tips</a> and come back when you like.</p>`,
  );
}

export function unsubscribedPage(ctx: PageContext, wasSubscribed: boolean): string {
  return layout(
    ctx,
    'Unsubscribed',
    html`${statusIcon('done')}
<h1>You are unsubscribed</h1>
<p class="notice" role="status">${wasSubscribed ? 'Done. You will get no more tips from us.' : 'This address is not subscribed; you will get no tips from us.'}</p>
<p>Changed your mind? <a href="/">Subscribe again</a>.</p>`,
  );
}

export interface PreferencesState {
  message?: string;
  /** The message reports an error: shown as an alert. */
  isError?: boolean;
  errors?: PreferenceErrors;
  /** Values the reader typed, shown again when there was an error. */
  values?: { name?: string; timezone?: string; timezoneTyped?: string; sendTime?: string };
}

/**
 * The zones by region, today's names, the reader's own selected (a stored old name such as
 * Asia/Calcutta shows as Asia/Kolkata). Options carry their old names, so the page's script
 * can match the browser's zone whichever name the browser reports.
 */
function zoneOptions(stored: string): SafeHtml {
  const selected = canonicalZone(stored);
  const groups = zonesByRegion();
  const known = groups.some((g) => g.zones.includes(selected));
  const option = (z: string) => {
    const aliases = aliasesOf(z);
    return html`<option value="${z}"${trusted(z === selected ? ' selected' : '')}${aliases.length ? html` data-alias="${aliases.join(' ')}"` : ''}>${z.replace(/_/g, ' ')}</option>`;
  };
  return html`${!known && html`<optgroup label="Your zone">${option(selected)}</optgroup>`}${groups.map((g) => html`<optgroup label="${g.region}">${g.zones.map(option)}</optgroup>`)}`;
}

/** Every zone for the type-ahead box: a datalist works without JavaScript. */
function zoneDatalist(): SafeHtml {
  return html`<datalist id="zone-names">${zonesByRegion()
    .flatMap((g) => g.zones)
    .map((z) => html`<option value="${z}">`)}</datalist>`;
}

function fieldError(id: string, message: string | undefined): SafeHtml | false {
  return message !== undefined && html`<p class="error" id="${id}-error">${message}</p>`;
}

function invalidAttrs(id: string, message: string | undefined): SafeHtml {
  return trusted(message !== undefined ? ` aria-invalid="true" aria-describedby="${id}-error"` : '');
}

/** The line under the address: when the next tip comes, or why none will. */
function nextTipLine(ctx: PageContext, s: Subscriber): string {
  return s.status === 'active' && s.nextSendAt !== null
    ? `Your next tip arrives on ${localTime(s.nextSendAt, s.timezone ?? ctx.defaultTimezone)}.`
    : s.status === 'paused'
      ? 'Your tips are paused. Resume them whenever you like.'
      : s.status === 'pending'
        ? 'Your subscription is not confirmed yet: use the link in the confirmation email.'
        : 'You are not subscribed, so you get no tips. You can still download or delete your data here.';
}

/** What the last action did, once: an alert for an error, a status otherwise. */
function actionNotice(state: PreferencesState): SafeHtml | false {
  return (
    state.message !== undefined &&
    (state.isError
      ? html`<p class="error" role="alert">${state.message}</p>`
      : html`<p class="notice" role="status">${state.message}</p>`)
  );
}

/** A subscribed reader's forms: name, zone and send time; pause or resume; restart; unsubscribe. */
function subscriptionForms(
  ctx: PageContext,
  s: Subscriber,
  action: string,
  unsubscribeToken: string,
  state: PreferencesState,
): SafeHtml {
  const zone = state.values?.timezone ?? s.timezone ?? ctx.defaultTimezone;
  const sendTime = state.values?.sendTime ?? s.sendTime ?? ctx.series.sendTime;
  const name = state.values?.name ?? s.name ?? '';
  const e = state.errors ?? {};
  // A reader who gave no zone gets the browser's own pre-selected by the page's script.
  const browserZone = s.timezone === null && state.values?.timezone === undefined;
  return html`<form method="post" action="${action}">
<input type="hidden" name="action" value="save">
<div class="field">
<label for="name">First name <span class="optional">(optional)</span></label>
<input id="name" name="name" type="text" autocomplete="given-name" maxlength="${MAX_NAME_LENGTH}" value="${name}"${invalidAttrs('name', e.name)}>
${fieldError('name', e.name)}
</div>
<div class="field">
<label for="timezone">Time zone</label>
<select id="timezone" name="timezone"${trusted(browserZone ? ' data-browser-zone' : '')}${invalidAttrs('timezone', e.timezone)}>${zoneOptions(zone)}</select>
${fieldError('timezone', e.timezone)}
<label for="timezoneTyped" class="sub">Or type a city or zone <span class="optional">(e.g. Kolkata, New York, Europe/Kyiv)</span></label>
<input id="timezoneTyped" name="timezoneTyped" type="text" list="zone-names" autocomplete="off" value="${state.values?.timezoneTyped ?? ''}">
${zoneDatalist()}
</div>
<div class="field">
<label for="sendTime">Send time <span class="hint">Your local time, e.g. 19:00 (7 pm)</span></label>
<input id="sendTime" name="sendTime" type="time" required value="${sendTime}"${invalidAttrs('sendTime', e.sendTime)}>
${fieldError('sendTime', e.sendTime)}
</div>
<button type="submit">Save</button>
</form>
<h2 id="pause">${s.status === 'paused' ? 'Resume' : 'Pause'}</h2>
<form method="post" action="${action}" class="inline">
<input type="hidden" name="action" value="${s.status === 'paused' ? 'resume' : 'pause'}">
<button type="submit" class="secondary">${s.status === 'paused' ? 'Resume my tips' : 'Pause my tips'}</button>
</form>
<h2 id="restart">Start again from week one</h2>
<p>Get every tip again, one a week, from the first.</p>
<form method="post" action="${action}" class="inline">
<input type="hidden" name="action" value="restart">
<button type="submit" class="secondary">Restart the series</button>
</form>
<h2>Leave</h2>
<p><a href="${tokenAction('unsubscribe', unsubscribeToken)}">Unsubscribe</a></p>`;
}

/** The reader's data rights, whatever the status: download it, delete it. */
function dataForms(action: string): SafeHtml {
  return html`<h2 id="data">Your data</h2>
<p>Everything we keep about you: your address, name, settings, the record of your consent, which emails we sent and your "Did this help?" answers.</p>
<form method="post" action="${action}" class="inline"><input type="hidden" name="action" value="export"><button type="submit" class="secondary">Download my data (JSON)</button></form>
<form method="post" action="${action}" class="inline">
<input type="hidden" name="action" value="delete">
<label class="check"><input type="checkbox" name="confirm" value="yes" required> Delete my address, settings and history now. This cannot be undone.</label>
<button type="submit" class="danger">Delete my data</button>
</form>`;
}

export function preferencesPage(
  ctx: PageContext,
  s: Subscriber,
  token: string,
  unsubscribeToken: string,
  state: PreferencesState = {},
): string {
  const action = tokenAction('preferences', token);
  return layout(
    ctx,
    'Your preferences',
    html`<h1>Your preferences</h1>
<p class="lead">For <strong>${s.email}</strong></p>
${actionNotice(state)}
<p id="next-tip">${nextTipLine(ctx, s)}</p>
${isSubscribed(s.status) && subscriptionForms(ctx, s, action, unsubscribeToken, state)}
${dataForms(action)}`,
  );
}

export function deletedPage(ctx: PageContext): string {
  return layout(
    ctx,
    'Your data is deleted',
    html`${statusIcon('done')}
<h1>Your data is deleted</h1>
<p class="notice" role="status">We erased your address, settings and history. We keep only a one-way fingerprint of the address, so we never email it again unless you subscribe anew.</p>
<p><a href="/">Back to the start page</a></p>`,
  );
}
