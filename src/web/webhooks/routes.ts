import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BounceStore } from '../../bounces/bounce-store.ts';
import type { SigningKeys } from '../../subscription/tokens.ts';
import {
  receiveMailgun,
  receivePostmark,
  type TokenMemory,
  type WebhookAnswer,
  type WebhookSettings,
} from '../../bounces/webhooks/receive.ts';

/** `secret` and `previousSecrets`: the keys the return paths a payload may quote were signed with. */
export interface WebhookDeps extends SigningKeys {
  settings: WebhookSettings;
  store: BounceStore & TokenMemory;
  now: () => Date;
  log: (line: string) => void;
  /** The per-IP limit: answers 429 with Retry-After and returns true when exceeded. */
  limited: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;
}

/** ESP payloads carry the bounce's text; Postmark's may include the whole bounced message. */
const WEBHOOK_BODY_BYTES = 512 * 1024;

/**
 * POST /webhooks/postmark and /webhooks/mailgun: ESP bounce and complaint events, under the same
 * rules as `bounces ingest`. A route exists only when its secret is configured. Anything not
 * authenticated answers 401 and changes nothing; the answer never says whom an event was about.
 */
export function registerWebhookRoutes(app: FastifyInstance, deps: WebhookDeps): void {
  const bounceDeps = { store: deps.store, secret: deps.secret, previousSecrets: deps.previousSecrets };
  const answer = (provider: string, a: WebhookAnswer) => {
    if (a.status !== 200) {
      deps.log(`webhook ${provider}: ${a.status} ${a.why}`);
      return { status: a.status, body: { ok: false, error: a.status === 401 ? 'unauthorized' : 'bad-request' } };
    }
    if (a.result.outcome === 'unknown') deps.log(`webhook ${provider}: ${a.result.text}`);
    return { status: 200, body: { ok: true, outcome: a.result.outcome } };
  };
  const { postmarkAuth, mailgunKey } = deps.settings;
  // Counted before the body is read: a flood is refused without parsing its payloads.
  const options = {
    bodyLimit: WEBHOOK_BODY_BYTES,
    onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
      if (await deps.limited(request, reply)) return reply;
    },
  };
  if (postmarkAuth) {
    app.post('/webhooks/postmark', options, async (request, reply) => {
      const a = answer(
        'postmark',
        await receivePostmark(
          bounceDeps,
          { postmarkAuth },
          { authorization: request.headers.authorization, body: request.body },
          deps.now(),
        ),
      );
      if (a.status === 401) reply.header('www-authenticate', 'Basic realm="webhooks"');
      return reply.code(a.status).send(a.body);
    });
  }
  if (mailgunKey) {
    app.post('/webhooks/mailgun', options, async (request, reply) => {
      const a = answer(
        'mailgun',
        await receiveMailgun({ ...bounceDeps, tokens: deps.store }, { mailgunKey }, request.body, deps.now()),
      );
      return reply.code(a.status).send(a.body);
    });
  }
}
