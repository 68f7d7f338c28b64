import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Tip } from '../content/index.ts';
import type { Problem } from '../problems.ts';

/** One link in the content: a source (`sources[i].url`) or a link in a tip's body, with where it is. */
export interface LinkRef {
  url: string;
  file: string;
  line: number;
  kind: 'source' | 'body';
}

export type LinkVerdict = 'ok' | 'dead' | 'moved' | 'slow';

/** What one request (and its redirects) found. */
export interface LinkResult {
  verdict: LinkVerdict;
  /** `404 Not Found`, `TLS: self-signed certificate`, `DNS: not found`, `no answer in 10 s`, … */
  detail: string;
  /** For a permanent redirect (301/308): the address to use instead. */
  to?: string;
  /** How long the answer took, redirects included. */
  ms: number;
  checkedAt: number;
}

export interface LinkCheckOptions {
  /** Per request (each redirect hop included); 10 s by default, shorter in tests. */
  timeoutMs?: number;
  /** An answer slower than this is reported as slow (default 5 s). */
  slowMs?: number;
  /** Requests at once, in all (default 4); never more than one per host. */
  concurrency?: number;
  maxRedirects?: number;
  /** Milliseconds since the epoch, for the cache's stamps. */
  now: () => number;
  /** The fetch to use (tests pass one that trusts nothing but what Node trusts; the default is global fetch). */
  fetch?: typeof fetch;
}

const DAY_MS = 86_400_000;
const USER_AGENT = 'NightCrampWeekly-link-check/1 (+https://github.com/)';

/** Every source and body link of the tips, each with its file and line. */
export function linksOf(tips: readonly Tip[]): LinkRef[] {
  const out: LinkRef[] = [];
  for (const tip of tips) {
    tip.sources.forEach((s, i) =>
      out.push({ url: s.url, file: tip.file, line: tip.fieldLines[`sources.${i}.url`] ?? 1, kind: 'source' }),
    );
    tip.sourceMarkdown.split('\n').forEach((text, i) => {
      // [text](url), <url>, and a bare https://… (stopping at what cannot end an address).
      for (const m of text.matchAll(
        /\]\((https?:\/\/[^)\s]+)\)|<(https?:\/\/[^>\s]+)>|(?<![(<])(https?:\/\/[^\s)<>\]]+)/g,
      )) {
        const url = (m[1] ?? m[2] ?? m[3]!).replace(/[.,;:!?]+$/, '');
        out.push({ url, file: tip.file, line: tip.bodyLine + i, kind: 'body' });
      }
    });
  }
  return out;
}

/** Why a request failed below HTTP: DNS, TLS, a refused connection, or no answer in time. */
function networkDetail(e: unknown, timeoutMs: number): string {
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
    return `no answer in ${timeoutMs / 1000} s`;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `DNS: the host name does not resolve (${code})`;
  if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code))
    return `TLS: the certificate is not valid (${code})`;
  if (code) return `connection failed (${code})`;
  return `request failed (${cause?.message ?? (e instanceof Error ? e.message : String(e))})`;
}

/**
 * One address: HEAD, then GET where HEAD is refused (405, 501); redirects followed by hand (up to
 * `maxRedirects`), so a permanent one (301, 308) at the first hop can be reported with where it leads.
 */
export async function checkOne(
  url: string,
  o: Required<Omit<LinkCheckOptions, 'fetch'>> & { fetch: typeof fetch },
): Promise<LinkResult> {
  const started = o.now();
  const t0 = performance.now();
  const elapsed = () => Math.round(performance.now() - t0);
  let current = url;
  let movedTo: string | undefined;
  for (let hop = 0; hop <= o.maxRedirects; hop++) {
    let res: Response;
    try {
      const ask = (method: 'HEAD' | 'GET') =>
        o.fetch(current, {
          method,
          redirect: 'manual',
          signal: AbortSignal.timeout(o.timeoutMs),
          headers: { 'user-agent': USER_AGENT, accept: 'text/html,*/*' },
        });
      res = await ask('HEAD');
      if (res.status === 405 || res.status === 501) {
        await res.body?.cancel();
        res = await ask('GET');
      }
      // Only the status matters: the body is never read.
      await res.body?.cancel().catch(() => undefined);
    } catch (e) {
      return { verdict: 'dead', detail: networkDetail(e, o.timeoutMs), ms: elapsed(), checkedAt: started };
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, current).toString();
      // The address to use is where the permanent redirects lead, as long as they are permanent.
      if ((res.status === 301 || res.status === 308) && (hop === 0 || movedTo !== undefined)) movedTo = next;
      current = next;
      continue;
    }
    const ms = elapsed();
    if (res.status >= 400)
      return { verdict: 'dead', detail: `${res.status} ${res.statusText}`.trim(), ms, checkedAt: started };
    if (movedTo)
      return {
        verdict: 'moved',
        detail: `${res.status} after a permanent redirect`,
        to: movedTo,
        ms,
        checkedAt: started,
      };
    if (ms > o.slowMs)
      return { verdict: 'slow', detail: `answered in ${(ms / 1000).toFixed(1)} s`, ms, checkedAt: started };
    return { verdict: 'ok', detail: `${res.status}`, ms, checkedAt: started };
  }
  return { verdict: 'dead', detail: `more than ${o.maxRedirects} redirects`, ms: elapsed(), checkedAt: started };
}

/**
 * Checks each address once, at most `concurrency` at a time and one per host (a site is never
 * asked twice at once by us), reusing results younger than a day from `cached`.
 */
export async function checkLinks(
  urls: readonly string[],
  options: LinkCheckOptions,
  cached: Readonly<Record<string, LinkResult>> = {},
): Promise<Record<string, LinkResult>> {
  const o = {
    timeoutMs: options.timeoutMs ?? 10_000,
    slowMs: options.slowMs ?? 5_000,
    concurrency: options.concurrency ?? 4,
    maxRedirects: options.maxRedirects ?? 5,
    now: options.now,
    fetch: options.fetch ?? fetch,
  };
  const results: Record<string, LinkResult> = {};
  const waiting: string[] = [];
  for (const url of new Set(urls)) {
    const hit = cached[url];
    if (hit && hit.checkedAt > o.now() - DAY_MS) results[url] = hit;
    else waiting.push(url);
  }
  const busy = new Set<string>();
  const hostOf = (u: string) => {
    try {
      return new URL(u).host;
    } catch {
      return u;
    }
  };
  // Workers waiting for a host to be free; each finished request wakes them all to look again.
  const waiters = new Set<() => void>();
  const worker = async (): Promise<void> => {
    for (;;) {
      const at = waiting.findIndex((u) => !busy.has(hostOf(u)));
      if (at < 0) {
        if (waiting.length === 0) return;
        await new Promise<void>((resolve) => waiters.add(resolve));
        continue;
      }
      const [url] = waiting.splice(at, 1) as [string];
      busy.add(hostOf(url));
      try {
        results[url] = await checkOne(url, o);
      } finally {
        busy.delete(hostOf(url));
        for (const w of waiters) w();
        waiters.clear();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, worker));
  return results;
}

/** The problems to print: dead links are errors; permanent redirects and slow answers, warnings. */
export function linkProblems(refs: readonly LinkRef[], results: Readonly<Record<string, LinkResult>>): Problem[] {
  const out: Problem[] = [];
  for (const ref of refs) {
    const r = results[ref.url];
    if (!r || r.verdict === 'ok') continue;
    const what = ref.kind === 'source' ? 'source' : 'link';
    const message =
      r.verdict === 'dead'
        ? `${what} ${ref.url} is dead (${r.detail}): replace it with a page that works, or remove it`
        : r.verdict === 'moved'
          ? `${what} ${ref.url} has moved for good: use ${r.to} instead`
          : `${what} ${ref.url} is slow (${r.detail}): check it still answers, or find a faster page`;
    out.push({
      severity: r.verdict === 'dead' ? 'error' : 'warning',
      check: 'links',
      file: ref.file,
      line: ref.line,
      message,
    });
  }
  return out;
}

/** What the last check left under the data directory: when, and each address's result. */
export interface LinkCheckRecord {
  checkedAt: number;
  results: Record<string, LinkResult>;
  /** The problems found, for `check` and /metrics to show without asking anyone. */
  problems: Problem[];
}

export const LINK_CHECK_FILE = 'link-check.json';

export async function readLinkRecord(dataDir: string): Promise<LinkCheckRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path.join(dataDir, LINK_CHECK_FILE), 'utf8')) as LinkCheckRecord;
    return typeof parsed.checkedAt === 'number' && parsed.results && Array.isArray(parsed.problems)
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

async function writeLinkRecord(dataDir: string, record: LinkCheckRecord): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, LINK_CHECK_FILE);
  // Written whole and renamed into place: a reader never sees half a file.
  await writeFile(`${file}.tmp`, JSON.stringify(record));
  await rename(`${file}.tmp`, file);
}

/** `check --links` and the weekly check: every link of the tips, the day's cache reused, the result kept. */
export async function runLinkCheck(
  tips: readonly Tip[],
  dataDir: string,
  options: LinkCheckOptions,
): Promise<LinkCheckRecord> {
  const refs = linksOf(tips);
  const previous = await readLinkRecord(dataDir);
  const results = await checkLinks(
    refs.map((r) => r.url),
    options,
    previous?.results,
  );
  const record = { checkedAt: options.now(), results, problems: linkProblems(refs, results) };
  await writeLinkRecord(dataDir, record);
  return record;
}

/** Sources (not body links) that are dead: the `newsletter_broken_sources` gauge. */
export function brokenSources(record: LinkCheckRecord | undefined): number {
  return record?.problems.filter((p) => p.severity === 'error' && p.message.startsWith('source ')).length ?? 0;
}
