import { fail, ok, type Finding } from './finding.ts';

const CHECK = 'site';

export interface SiteInput {
  /** NEWSLETTER_BASE_URL. */
  baseUrl: string;
  /** The one-click unsubscribe URL with a probe token: the site answers 200 and changes nothing. */
  probeUrl: string;
  timeoutMs?: number;
  signal?: AbortSignal | undefined;
}

/** The reason a fetch failed, as Node's fetch hides it under `cause`. */
function why(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

/**
 * The public site as readers and mail providers meet it: https, /healthz answering, and the
 * one-click unsubscribe (RFC 8058) answering a POST, with a probe token that changes nothing.
 */
export async function checkSite(input: SiteInput): Promise<Finding[]> {
  const findings: Finding[] = [];
  const base = new URL(input.baseUrl);
  if (base.protocol !== 'https:')
    findings.push(
      fail(
        CHECK,
        `NEWSLETTER_BASE_URL ${input.baseUrl} is not https: mail providers ignore one-click unsubscribe links that are not https`,
        'serve the site over https (a reverse proxy with a certificate, see docs/operations.md) and set NEWSLETTER_BASE_URL=https://…',
      ),
    );
  const signal = () => {
    const timeout = AbortSignal.timeout(input.timeoutMs ?? 10_000);
    return input.signal ? AbortSignal.any([timeout, input.signal]) : timeout;
  };
  try {
    const health = await fetch(`${input.baseUrl}/healthz`, { signal: signal(), redirect: 'manual' });
    await health.body?.cancel();
    findings.push(
      health.status === 200
        ? ok(CHECK, `${input.baseUrl}/healthz answers 200`)
        : fail(
            CHECK,
            `${input.baseUrl}/healthz answers ${health.status}`,
            'start the site (newsletter start) behind that address and check its log',
          ),
    );
  } catch (e) {
    findings.push(
      fail(
        CHECK,
        `${input.baseUrl}/healthz cannot be reached (${why(e)})`,
        'start the site (newsletter start), and check that NEWSLETTER_BASE_URL is the address the world reaches it by (DNS, proxy, certificate)',
      ),
    );
    return findings;
  }
  try {
    const probe = await fetch(input.probeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      signal: signal(),
      redirect: 'manual',
    });
    const text = await probe.text();
    findings.push(
      probe.status === 200 && /probe/i.test(text)
        ? ok(CHECK, 'one-click unsubscribe answers a POST with 200 (a probe: nothing changed)')
        : fail(
            CHECK,
            `one-click unsubscribe answered the probe with ${probe.status}${probe.status === 400 ? ' (the site does not take this key: is NEWSLETTER_SECRET the same as the site’s?)' : ''}`,
            'POST /unsubscribe must reach the newsletter: check that the proxy passes POST and the query string, and that the site runs this version',
          ),
    );
  } catch (e) {
    findings.push(
      fail(
        CHECK,
        `one-click unsubscribe cannot be reached (${why(e)})`,
        'check that the proxy passes POST /unsubscribe',
      ),
    );
  }
  return findings;
}
