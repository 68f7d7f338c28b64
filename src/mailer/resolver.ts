import { Resolver } from 'node:dns/promises';

/**
 * The one DNS resolver `doctor` and the provider lookups use: the configured servers
 * (NEWSLETTER_DNS_SERVERS), else the system's. A timeout and a few tries, so a dead server makes a
 * lookup fail in seconds instead of holding a pass.
 */
export function createResolver(
  servers?: readonly string[],
  options: { timeoutMs?: number; tries?: number } = {},
): Resolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 3000, tries: options.tries ?? 2 });
  if (servers?.length) resolver.setServers([...servers]);
  return resolver;
}
