import { findSpamAssassin } from '../../src/check/spam.ts';

/**
 * Debian's `spamassassin`, or undefined when the spam tests cannot run here. With CI=true a
 * missing one is a failure (.ci/run installs it); on a laptop the tests skip and say how to run them.
 */
export function spamAssassinBin(): string | undefined {
  const bin = findSpamAssassin();
  if (bin) return bin;
  const why = 'SpamAssassin is not installed; install it with: apt-get install -y spamassassin';
  if (process.env.CI === 'true') throw new Error(`the spam tests must run in CI: ${why}`);
  console.warn(`[spam tests skipped] ${why}, then npm test`);
  return undefined;
}
