import type { Config } from '../config.ts';

/**
 * The end of every summary of a command whose emails carry links: which site they point at.
 * Every command reads the environment and `.env` the same way (openApp), so this is the base URL
 * the running site uses when both share settings; when it is not, the summary shows it at once.
 */
export function linksUse(config: Pick<Config, 'baseUrl'>): string {
  return `links use ${config.baseUrl}`;
}
