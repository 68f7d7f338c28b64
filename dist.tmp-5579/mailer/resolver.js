// ../../work/wt/h-studio/src/mailer/resolver.ts
import { Resolver } from "node:dns/promises";
function createResolver(servers, options = {}) {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 3e3, tries: options.tries ?? 2 });
  if (servers?.length) resolver.setServers([...servers]);
  return resolver;
}
export {
  createResolver
};
//# sourceMappingURL=resolver.js.map
