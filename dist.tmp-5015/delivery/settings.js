// ../../work/wt/h-studio/src/delivery/settings.ts
import { resolveSecret } from "../config.js";
function passSettings(config, secret = resolveSecret(config)) {
  return {
    baseUrl: config.baseUrl,
    secret,
    timezone: config.timezone,
    ...config.from ? { from: config.from } : {},
    ...config.bounceAddress ? { bounceAddress: config.bounceAddress } : {}
  };
}
export {
  passSettings
};
//# sourceMappingURL=settings.js.map
