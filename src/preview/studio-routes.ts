import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { FeedbackComment, TipFeedback } from '../store/feedback.ts';
import type { Inbox } from './inbox.ts';
import { editorBundle } from './editor-bundle.ts';
import { studioPage } from './page.ts';
import { isSampleReader, sampleReaderIds, sampleReaders } from './samples.ts';
import type { Studio } from './studio.ts';

/** What the studio shows of the answers: counts per tip and the latest comments (shown as text). */
export interface StudioFeedback {
  tips: TipFeedback[];
  comments: FeedbackComment[];
}

export interface StudioRouteDeps {
  studio: Studio;
  inbox: Inbox;
  /** Readers' answers, asked at each list request; absent, the list has none. */
  feedback?: () => Promise<StudioFeedback>;
}

const assetsDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets');
/** The studio's own files by name: a Map, so `constructor` or `__proto__` is just a name that is not there. */
const assets = new Map<string, string>([
  ['studio.css', 'text/css; charset=utf-8'],
  ['studio.js', 'text/javascript; charset=utf-8'],
  ['editor.css', 'text/css; charset=utf-8'],
  ['editor.js', 'text/javascript; charset=utf-8'],
]);

/** The studio page, its files, and the JSON it reads: the list of emails and one email. */
export function registerStudioRoutes(app: FastifyInstance, deps: StudioRouteDeps): void {
  const { studio, inbox } = deps;

  app.get('/', async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(studioPage(studio.list().seriesName)),
  );

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const type = assets.get(request.params.name);
    if (!type) return reply.code(404).send({ error: 'no such asset' });
    if (request.params.name === 'editor.js') return reply.type(type).send(await editorBundle(assetsDir));
    return reply.type(type).send(await readFile(path.join(assetsDir, request.params.name), 'utf8'));
  });

  app.get('/api/list', async () => ({
    ...studio.list(),
    inbox: await inbox.list(),
    feedback: await readFeedback(deps.feedback),
    readers: sampleReaderIds.map((id) => ({ id, label: sampleReaders[id].label })),
  }));

  app.get<{ Querystring: { id?: string; reader?: string } }>('/api/email', async (request, reply) => {
    const id = request.query.id ?? '';
    const reader = isSampleReader(request.query.reader) ? request.query.reader : 'first';
    if (id.startsWith('inbox:')) {
      const message = await inbox.open(id.slice('inbox:'.length));
      if (!message)
        return reply.code(404).send({
          ok: false,
          id,
          label: 'Dev inbox',
          problems: [{ severity: 'error', check: 'inbox', message: 'this message is no longer in the outbox folder' }],
        });
      return { ok: true, email: await studio.inboxView(message) };
    }
    return studio.email(id, reader);
  });
}

/** The readers' answers; one that cannot be read leaves the list with an error line, never failing it. */
async function readFeedback(
  read: (() => Promise<StudioFeedback>) | undefined,
): Promise<(StudioFeedback & { error?: string }) | undefined> {
  if (!read) return undefined;
  try {
    return await read();
  } catch (e) {
    return {
      tips: [],
      comments: [],
      error: `Reader answers cannot be read now: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}
