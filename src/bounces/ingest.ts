import { applyNotice, type BounceDeps, type BounceResult } from './apply.ts';
import { readReport } from './report.ts';

/** One email from a return-path mailbox or an MTA pipe: read as DSN or ARF, then applied. */
export async function ingestMessage(deps: BounceDeps, raw: Buffer | string, now: Date): Promise<BounceResult> {
  const report = await readReport(raw);
  if (!report.ok) return { outcome: report.ignored ? 'ignored' : 'unknown', text: report.why };
  return applyNotice(deps, report.notice, now);
}
