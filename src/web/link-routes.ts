import type { FastifyInstance } from 'fastify';
import type { LinkRouteDeps } from './signed-links.ts';
import { registerConfirmRoutes } from './confirm-routes.ts';
import { registerUnsubscribeRoutes } from './unsubscribe-routes.ts';
import { registerPreferencesRoutes } from './preferences-routes.ts';

export type { LinkRouteDeps } from './signed-links.ts';

/**
 * The routes reached from links in emails, one module per page: confirm, unsubscribe,
 * preferences. GET never changes anything: mail scanners and link previewers fetch links on their own.
 */
export function registerLinkRoutes(app: FastifyInstance, deps: LinkRouteDeps): void {
  registerConfirmRoutes(app, deps);
  registerUnsubscribeRoutes(app, deps);
  registerPreferencesRoutes(app, deps);
}
