// The studio's browser code: plain ES module, no build step, no third-party code.
// Everything from the server is put into the page with textContent (or into the sandboxed
// frame's srcdoc), never parsed as the studio's own HTML.

const $ = (id) => document.getElementById(id);
const VIEWS = ['email', 'text', 'source', 'headers', 'checks'];
const WIDTHS = ['desktop', 'phone'];
const FAMILIES = [
  ['gmail', 'Gmail'],
  ['outlook', 'Outlook'],
  ['apple-mail', 'Apple Mail'],
  ['yahoo', 'Yahoo'],
];
const SCHEMES = ['light', 'dark', 'inverted'];
// Dark: the email's own `prefers-color-scheme: dark` styles, as Apple Mail, iOS and Outlook.com
// show them. The frame cannot be told the reader's scheme, so those rules are made unconditional.
const forceDark = (html) =>
  html
    .replace(/@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)/gi, '@media all')
    .replace(/<\/head>/i, '<style data-studio-dark>:root{color-scheme:dark}</style></head>');
// Inverted: the full colour inversion some apps apply to an email regardless (the harshest
// case); images are turned back so photos stay photos.
const DARK_CSS =
  '<style data-studio-dark>html{filter:invert(1) hue-rotate(180deg);background:#fff!important}' +
  'img,picture,video{filter:invert(1) hue-rotate(180deg)}</style>';

const state = { id: '', view: 'email', width: 'desktop', scheme: 'light', reader: 'first' };
let list = null;
let current = null;
let emailSeq = 0;
let listSeq = 0;

function readHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  if (params.get('email')) state.id = params.get('email');
  if (VIEWS.includes(params.get('view'))) state.view = params.get('view');
  if (WIDTHS.includes(params.get('width'))) state.width = params.get('width');
  state.scheme = SCHEMES.includes(params.get('scheme'))
    ? params.get('scheme')
    : params.get('dark') === '1'
      ? 'dark'
      : 'light';
  if (params.get('reader')) state.reader = params.get('reader');
}

function writeHash() {
  const params = new URLSearchParams({ email: state.id, view: state.view, width: state.width, reader: state.reader });
  if (state.scheme !== 'light') params.set('scheme', state.scheme);
  history.replaceState(null, '', `#${params}`);
}

function el(tag, options = {}, ...children) {
  const node = document.createElement(tag);
  if (options.className) node.className = options.className;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title) node.title = options.title;
  for (const [k, v] of Object.entries(options.attrs ?? {})) node.setAttribute(k, v);
  for (const child of children) if (child) node.append(child);
  return node;
}

function where(p) {
  return p.file ? `${p.file}${p.line ? `:${p.line}` : ''}` : '';
}

function statusBadge(status, broken) {
  if (broken) return el('span', { className: 'badge error', text: 'cannot render' });
  if (!status) return el('span', { className: 'badge pending', text: 'checking…' });
  if (status.errors)
    return el('span', { className: 'badge error', text: `${status.errors} error${status.errors === 1 ? '' : 's'}` });
  if (status.warnings)
    return el('span', {
      className: 'badge warning',
      text: `${status.warnings} warning${status.warnings === 1 ? '' : 's'}`,
    });
  return el('span', { className: 'badge ok', text: '✓ ok', title: 'No errors or warnings' });
}

function itemButton(id, top, bottom, badges) {
  const button = el('button', { attrs: { type: 'button', 'data-id': id } });
  button.append(el('span', { className: 'item-top' }, el('span', { className: 'item-label', text: top }), ...badges));
  button.append(el('span', { className: 'item-title', text: bottom }));
  if (id === state.id) button.setAttribute('aria-current', 'true');
  button.addEventListener('click', () => select(id));
  return el('li', {}, button);
}

function renderList() {
  const fatal = $('fatal');
  fatal.replaceChildren();
  fatal.hidden = !list.fatal.length;
  if (list.fatal.length) {
    fatal.append(el('strong', { text: 'Nothing can be rendered until this is fixed:' }));
    for (const p of list.fatal)
      fatal.append(el('p', {}, el('code', { text: where(p) }), document.createTextNode(` ${p.message}`)));
  }
  const series = list.emails.filter((e) => e.kind === 'tip');
  $('series-list').replaceChildren(
    ...series.map((e) => {
      const badges = [];
      if (e.draft) badges.push(el('span', { className: 'badge draft', text: 'draft' }));
      badges.push(statusBadge(e.status, e.broken));
      const item = itemButton(e.id, e.label, e.title, badges);
      const counts = feedbackLine(e.id.replace(/^tip:/, ''));
      if (counts) item.querySelector('button').append(counts);
      // The edit pane for this tip's file (a link beside the button, not inside it).
      item.append(
        el('a', {
          className: 'edit-link',
          text: 'Edit',
          attrs: { href: `/edit?file=${encodeURIComponent(e.file)}`, 'aria-label': `Edit ${e.label}: ${e.title}` },
        }),
      );
      return item;
    }),
  );
  if (!series.length)
    $('series-list').append(
      el('li', { className: 'empty', text: list.fatal.length ? '—' : 'No tips yet: run newsletter new "Title".' }),
    );
  $('system-list').replaceChildren(
    ...list.emails
      .filter((e) => e.kind === 'system')
      .map((e) => itemButton(e.id, e.label, e.title, [statusBadge(e.status)])),
  );
  $('inbox-count').textContent = list.inbox.length ? String(list.inbox.length) : '';
  $('inbox-list').replaceChildren(
    ...list.inbox.map((m) =>
      itemButton(`inbox:${m.id}`, m.subject, `to ${m.to} · ${new Date(m.date).toLocaleString()}`, []),
    ),
  );
  renderComments();
  if (!list.inbox.length)
    $('inbox-list').append(
      el('li', { className: 'empty', text: 'Empty. Messages appear here when the outbox transport sends.' }),
    );
}

/** "Did this help?" for one tip, from the subscriber store: yes, not really, comments, share answered. */
function feedbackLine(slug) {
  const f = list.feedback?.tips.find((t) => t.slug === slug);
  if (!f) return null;
  const parts = [
    `${f.yes} yes`,
    `${f.no} not really`,
    `${f.comments + f.webComments} comment${f.comments + f.webComments === 1 ? '' : 's'}`,
  ];
  if (f.recipients)
    parts.push(
      `${Math.round((Math.min(f.yes + f.no, f.recipients) / f.recipients) * 100)}% of ${f.recipients} answered`,
    );
  if (f.webYes || f.webNo) parts.push(`web ${f.webYes} yes / ${f.webNo} not really`);
  return el('span', {
    className: 'item-feedback',
    text: `Did this help? ${parts.join(' · ')}`,
    attrs: { 'data-feedback': slug },
  });
}

function renderComments() {
  const box = $('feedback-comments');
  const comments = list.feedback?.comments ?? [];
  $('feedback-section').hidden = !list.feedback;
  box.replaceChildren(
    ...comments.map((c) =>
      el(
        'li',
        { className: 'comment' },
        el('span', {
          className: 'comment-meta',
          text: `${c.slug} · ${c.answer === 'yes' ? 'yes' : 'not really'}${c.anonymous ? ' · web' : ''} · ${new Date(c.at).toLocaleDateString()}`,
        }),
        el('q', { text: c.comment }),
      ),
    ),
  );
  if (!comments.length) box.append(el('li', { className: 'empty', text: list.feedback?.error ?? 'No comments yet.' }));
}

function markSelected() {
  for (const b of document.querySelectorAll('.list button')) {
    if (b.dataset.id === state.id) b.setAttribute('aria-current', 'true');
    else b.removeAttribute('aria-current');
  }
}

async function loadList() {
  const seq = ++listSeq;
  const res = await fetch('/api/list');
  const data = await res.json();
  if (seq !== listSeq) return;
  list = data;
  if (!state.id || !listHas(state.id)) {
    const first = list.emails[0];
    if (first && !state.id) state.id = first.id;
  }
  renderList();
}

function listHas(id) {
  return list.emails.some((e) => e.id === id) || list.inbox.some((m) => `inbox:${m.id}` === id);
}

async function loadEmail() {
  if (!state.id) return;
  const seq = ++emailSeq;
  const generation = list?.generation;
  const res = await fetch(`/api/email?id=${encodeURIComponent(state.id)}&reader=${encodeURIComponent(state.reader)}`);
  const data = await res.json();
  if (seq !== emailSeq) return;
  current = data;
  renderEmail();
  document.body.dataset.generation = String(generation ?? '');
  document.body.dataset.shown = state.id;
}

function renderEmail() {
  const errorView = $('error-view');
  const isInbox = state.id.startsWith('inbox:');
  $('reader').disabled = isInbox;
  $('send-test').querySelector('button').disabled = !current?.ok || !current.email.canSend;
  if (!current.ok) {
    errorView.hidden = false;
    errorView.replaceChildren(
      el('h2', { text: `${current.label}: this email cannot be rendered` }),
      el('p', { className: 'hint', text: 'Fix the file below and save: the email comes back by itself.' }),
      el(
        'ul',
        { className: 'problem-list' },
        ...current.problems.map((p) =>
          el(
            'li',
            { className: `problem ${p.severity}` },
            el('code', { className: 'where', text: where(p) || p.check }),
            el('span', { className: 'message', text: p.message }),
          ),
        ),
      ),
    );
    $('summary').replaceChildren();
    $('checks-count').textContent = '';
    applyView();
    return;
  }
  errorView.hidden = true;
  const email = current.email;
  renderSummary(email);
  renderFrame(email);
  $('text-view').textContent = email.text;
  $('source-view').textContent = email.html || '(this message has no HTML part)';
  $('headers-view').replaceChildren(headerTable(email.headers));
  renderChecks(email);
  applyView();
}

function renderSummary(email) {
  const get = (name) => email.headers.find((h) => h.name.toLowerCase() === name)?.value ?? '';
  const rows = [
    ['From', get('from')],
    ['To', get('to')],
    ['Subject', email.subject],
  ];
  if (email.kind !== 'inbox') rows.push(['Preheader', email.preheader || '(none)']);
  const dl = el('dl', { className: 'summary-grid' });
  for (const [k, v] of rows) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  const facts = el(
    'p',
    { className: 'facts' },
    el('span', { text: `${email.kind === 'inbox' ? 'Dev inbox' : email.label}` }),
    el('span', { text: `Reading time about ${email.reading.minutes} min (${email.reading.words} words)` }),
    el('span', { text: `HTML ${(email.htmlBytes / 1024).toFixed(1)} KB` }),
    email.file ? el('code', { text: email.file }) : null,
  );
  $('summary').replaceChildren(dl, facts);
}

function renderFrame(email) {
  const frame = $('frame');
  let html =
    email.html ||
    `<!doctype html><pre style="font:14px/1.5 monospace;white-space:pre-wrap;padding:16px">${escapeText(email.text)}</pre>`;
  if (state.scheme === 'dark') html = forceDark(html);
  if (state.scheme === 'inverted')
    html = /<\/head>/i.test(html) ? html.replace(/<\/head>/i, `${DARK_CSS}</head>`) : DARK_CSS + html;
  if (frame.srcdoc !== html) frame.srcdoc = html;
}

function escapeText(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function fitFrame() {
  const frame = $('frame');
  const doc = frame.contentDocument;
  if (!doc?.documentElement) return;
  frame.style.height = '0px';
  frame.style.height = `${Math.max(doc.documentElement.scrollHeight, 200)}px`;
}

function headerTable(headers) {
  const table = el('table', { className: 'header-table' });
  const body = el('tbody');
  for (const h of headers)
    body.append(el('tr', {}, el('th', { text: h.name, attrs: { scope: 'row' } }), el('td', { text: h.value })));
  table.append(body);
  return table;
}

function renderChecks(email) {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const p of email.problems) counts[p.severity]++;
  $('checks-count').textContent = counts.error ? `${counts.error}✗` : counts.warning ? `${counts.warning}!` : '✓';
  $('checks-count').className = `count ${counts.error ? 'error' : counts.warning ? 'warning' : 'ok'}`;
  const view = $('checks-view');
  const findings = el(
    'ul',
    { className: 'problem-list' },
    ...email.problems.map((p) =>
      el(
        'li',
        { className: `problem ${p.severity}` },
        el('span', { className: `sev ${p.severity}`, text: p.severity }),
        el('span', { className: 'check-name', text: p.check }),
        el('span', { className: 'message', text: p.message }),
        p.file ? el('code', { className: 'where', text: where(p) }) : null,
      ),
    ),
  );
  view.replaceChildren(
    el('h2', { text: `Findings: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} notes` }),
    email.problems.length ? findings : el('p', { text: 'Nothing to report.' }),
    el('h2', { text: 'Client support (caniemail data)' }),
    el('p', {
      className: 'hint',
      text: 'Features this email uses that one of the four clients does not fully support. Rows marked "layout" come from the shared layout every email uses.',
    }),
    supportTable(email.support),
  );
}

function supportTable(support) {
  const shared = new Set(support.shared);
  const table = el('table', { className: 'support-table' });
  const head = el(
    'tr',
    {},
    el('th', { text: 'Feature', attrs: { scope: 'col' } }),
    ...FAMILIES.map(([, name]) => el('th', { text: name, attrs: { scope: 'col' } })),
  );
  table.append(el('thead', {}, head));
  const body = el('tbody');
  for (const f of support.features) {
    const name = el('th', { attrs: { scope: 'row' } }, el('code', { text: f.feature }));
    if (shared.has(f.feature)) name.append(el('span', { className: 'badge shared', text: 'layout' }));
    if (f.notes.length)
      name.append(el('details', {}, el('summary', { text: 'notes' }), ...f.notes.map((n) => el('p', { text: n }))));
    const cells = FAMILIES.map(([key]) => {
      const c = f.clients[key];
      const text = c.level === 'yes' ? '✓' : c.level === 'partial' ? '◐ partial' : '✗ no';
      const detail = [
        c.no.length ? `not in ${c.no.join(', ')}` : '',
        c.partial.length ? `partial in ${c.partial.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; ');
      return el(
        'td',
        { className: `lvl ${c.level}`, title: detail || 'supported' },
        el('span', { text }),
        detail ? el('small', { text: detail }) : null,
      );
    });
    body.append(el('tr', {}, name, ...cells));
  }
  table.append(body);
  return support.features.length ? table : el('p', { text: 'Every feature is supported by all four.' });
}

function applyView() {
  const failed = current && !current.ok;
  for (const part of document.querySelectorAll('[data-part]')) part.hidden = failed || part.dataset.part !== state.view;
  for (const b of document.querySelectorAll('[data-view]'))
    b.setAttribute('aria-selected', String(b.dataset.view === state.view));
  for (const b of document.querySelectorAll('[data-width]'))
    b.setAttribute('aria-pressed', String(b.dataset.width === state.width));
  const stage = $('stage');
  stage.dataset.size = state.width;
  stage.dataset.dark = String(state.scheme !== 'light');
  $('scheme').value = state.scheme;
  $('reader').value = state.reader;
  markSelected();
  writeHash();
  requestAnimationFrame(fitFrame);
}

async function select(id) {
  state.id = id;
  markSelected();
  writeHash();
  await loadEmail();
}

async function refresh() {
  // Side by side: the list and the selected email do not wait for each other.
  if (!state.id) await loadList();
  await Promise.all([loadList(), loadEmail()]);
}

function connect() {
  const live = $('live');
  const events = new EventSource('/events');
  let seen = null;
  events.addEventListener('hello', (e) => {
    live.textContent = 'live';
    live.className = 'live on';
    const { generation } = JSON.parse(e.data);
    // After a reconnect the files may have changed while the connection was down.
    if (seen !== null && generation !== seen) void refresh();
    seen = generation;
  });
  events.addEventListener('change', (e) => {
    // When the news arrived, so a test can tell the watcher's share from the page's.
    document.body.dataset.changeReceivedAt = String(Date.now());
    seen = JSON.parse(e.data).generation;
    void refresh();
  });
  events.addEventListener('checked', () => void loadList());
  events.addEventListener('inbox', () => void loadList());
  events.onerror = () => {
    live.textContent = 'reconnecting…';
    live.className = 'live off';
  };
}

function wire() {
  for (const b of document.querySelectorAll('[data-view]'))
    b.addEventListener('click', () => ((state.view = b.dataset.view), applyView()));
  for (const b of document.querySelectorAll('[data-width]'))
    b.addEventListener('click', () => ((state.width = b.dataset.width), applyView()));
  $('scheme').addEventListener('change', (e) => {
    state.scheme = e.target.value;
    if (current?.ok) renderFrame(current.email);
    applyView();
  });
  $('reader').addEventListener('change', (e) => {
    state.reader = e.target.value;
    writeHash();
    void loadEmail();
  });
  $('frame').addEventListener('load', fitFrame);
  window.addEventListener('resize', () => requestAnimationFrame(fitFrame));
  $('send-test').addEventListener('submit', async (e) => {
    e.preventDefault();
    const result = $('send-result');
    result.className = '';
    result.textContent = 'Sending…';
    const res = await fetch('/api/send-test', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ id: state.id, reader: state.reader, to: $('send-to').value }),
    });
    const data = await res.json().catch(() => ({ ok: false, error: `the studio answered ${res.status}` }));
    result.className = data.ok ? 'ok' : 'error';
    result.textContent = data.ok ? `Sent to ${data.to} through ${data.transport}.` : data.error;
  });
}

readHash();
wire();
applyView();
connect();
void refresh();
