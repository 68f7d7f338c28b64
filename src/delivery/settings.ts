import { resolveSecret, type Config } from '../config.ts';
import type { PassSettings } from './pass-context.ts';

/**
 * The pass's settings from the validated environment and the signing key. The running service
 * passes the key `openApp` resolved once; the default (resolving it here) is for tests and tools
 * that build a pass by hand.
 */
export function passSettings(config: Config, secret: string = resolveSecret(config)): PassSettings {
  return {
    baseUrl: config.baseUrl,
    secret,
    timezone: config.timezone,
    ...(config.from ? { from: config.from } : {}),
    ...(config.bounceAddress ? { bounceAddress: config.bounceAddress } : {}),
    ...(config.cfblAddress ? { cfblAddress: config.cfblAddress } : {}),
  };
}
