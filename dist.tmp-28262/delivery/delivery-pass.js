// ../../work/wt/h-studio/src/delivery/delivery-pass.ts
import { planPass } from "./dispatcher.js";
import { runSharedPass } from "./sender-share.js";
function deliveryPass(parts) {
  const { store, registry, rate } = parts;
  return {
    async run(request) {
      const settings = parts.settings();
      return runSharedPass({ ...request, store, registry, rate, mailer: await parts.mailer(), settings });
    },
    plan: (request) => planPass({ ...request, store, settings: parts.settings() })
  };
}
export {
  deliveryPass
};
//# sourceMappingURL=delivery-pass.js.map
