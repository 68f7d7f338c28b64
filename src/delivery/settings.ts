import { resolveSecret, type Config } from '../config.ts';
import type { PassSettings } from './pass-context.ts';

/** The pass's settings from the validated environment. */
export function passSettings(config: Config): PassSettings {
  return {
    baseUrl: config.baseUrl,
    secret: resolveSecret(config),
    timezone: config.timezone,
    ...(config.from ? { from: config.from } : {}),
    ...(config.bounceAddress ? { bounceAddress: config.bounceAddress } : {}),
  };
}
