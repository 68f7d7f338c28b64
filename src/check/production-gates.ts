import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.ts';
import type { Series } from '../content/index.ts';
import { sortProblems, type Problem } from '../problems.ts';

/**
 * The launch gates alone: what `check --production` adds to the check, and what `send` and
 * `start` hold every email on in production. Problems of one tip are left out: such a tip holds
 * only its own readers (the pass skips it), where these would go wrong in every email.
 */
export async function productionGates(config: Config, series: Series): Promise<Problem[]> {
  return sortProblems([...baseUrlProblems(config), ...(await productionProblems(config, series))]);
}

export function baseUrlProblems(config: Config): Problem[] {
  if (config.baseUrl.startsWith('https://')) return [];
  return [
    {
      severity: 'error',
      check: 'production',
      message: `NEWSLETTER_BASE_URL is ${config.baseUrl}: production needs https (RFC 8058 one-click unsubscribe and every link in the emails): set NEWSLETTER_BASE_URL=https://your-domain.org`,
    },
  ];
}

/** RFC 2606 / 6761 names no real mail goes to: `x.example`, `example.org`, `x.test`, … */
const RESERVED_DOMAIN = /(^|\.)(example|test|invalid|localhost)$|(^|\.)example\.(com|net|org)$/i;
/** What the shipped series.yml holds until the operator sets a real address. */
const PLACEHOLDER_POSTAL = /\bexample\b|replace|placeholder|EX1 2MP/i;
const SENDER_EXAMPLE = 'NEWSLETTER_FROM="Night Cramp Weekly <tips@your-domain.org>"';

/** The placeholders a launch must not go out with; the caller checks the base URL. */
export async function productionProblems(config: Config, series: Series): Promise<Problem[]> {
  const problems: Problem[] = [];
  const seriesPath = path.join(config.contentDir, 'series.yml');
  const file = path.relative(config.rootDir, seriesPath).split(path.sep).join('/');
  const text = await readFile(seriesPath, 'utf8').catch(() => '');
  const lineOf = (re: RegExp) => {
    const i = text.split('\n').findIndex((l) => re.test(l));
    return i >= 0 ? { line: i + 1 } : {};
  };
  if (PLACEHOLDER_POSTAL.test(series.postalAddress)) {
    problems.push({
      severity: 'error',
      check: 'production',
      file,
      ...lineOf(/^postalAddress:/),
      message: `postalAddress is still the placeholder ("${series.postalAddress}"): set the real postal address readers can write to (anti-spam laws require one in every email)`,
    });
  }
  const envAddress = config.from ? (/<([^<>]+)>/.exec(config.from)?.[1] ?? config.from).trim() : undefined;
  const address = envAddress ?? series.from.address;
  const domain = address.split('@').pop() ?? '';
  if (RESERVED_DOMAIN.test(domain)) {
    problems.push(
      envAddress
        ? {
            severity: 'error',
            check: 'production',
            message: `NEWSLETTER_FROM uses ${address}, a reserved example domain no mail server accepts: set ${SENDER_EXAMPLE}`,
          }
        : {
            severity: 'error',
            check: 'production',
            file,
            ...lineOf(/^\s+address:/),
            message: `from.address ${address} is on a reserved example domain no mail server accepts: set the real sender here or ${SENDER_EXAMPLE}`,
          },
    );
  }
  return problems;
}
