// ../../work/wt/h-studio/src/web/link-routes.ts
import { registerConfirmRoutes } from "./confirm-routes.js";
import { registerUnsubscribeRoutes } from "./unsubscribe-routes.js";
import { registerPreferencesRoutes } from "./preferences-routes.js";
function registerLinkRoutes(app, deps) {
  registerConfirmRoutes(app, deps);
  registerUnsubscribeRoutes(app, deps);
  registerPreferencesRoutes(app, deps);
}
export {
  registerLinkRoutes
};
//# sourceMappingURL=link-routes.js.map
