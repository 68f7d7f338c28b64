import { productionGates } from '../check/production-gates.ts';
import type { Series } from '../content/index.ts';
import type { Config } from '../config.ts';
import { formatProblem } from '../problems.ts';

/**
 * In production (NODE_ENV=production) nothing is sent while a launch gate of `check
 * --production` fails: an http base URL (every one-click unsubscribe link broken), the
 * placeholder postal address, a sender on an example domain. Each failing gate is printed as
 * `check --production` prints it, then what to do; true when `command` must not send.
 */
export async function refusedByProductionGates(
  config: Config,
  series: Series,
  err: (line: string) => void,
  command: string,
): Promise<boolean> {
  if (!config.production) return false;
  const problems = await productionGates(config, series);
  if (!problems.length) return false;
  for (const p of problems) err(formatProblem(p));
  err(
    `NODE_ENV=production: \`newsletter ${command}\` sends nothing while \`newsletter check --production\` fails; fix the ${problems.length === 1 ? 'problem' : `${problems.length} problems`} above, then run it again`,
  );
  return true;
}
