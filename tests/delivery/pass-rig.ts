import type { Kysely } from 'kysely';
import type { PassInput } from '../../src/delivery/dispatcher.ts';
import { passSettings } from '../../src/delivery/settings.ts';
import { createMailer } from '../../src/mailer/create-mailer.ts';
import type { Mailer } from '../../src/mailer/mailer.ts';
import { loadProject, type Project } from '../../src/render/project.ts';
import { kyselyDeliveryStore } from '../../src/store/deliveries.ts';
import type { Database } from '../../src/store/schema.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { tempProject, type TempProject } from '../support/temp-project.ts';
import { useResource } from '../support/use-resource.ts';

/** A real SMTP sink, a project sending to it through a pool of `pool`, its mailer and its loaded content. */
export interface PassRig {
  sink: SmtpSink;
  tp: TempProject;
  mailer: Mailer;
  project: Project;
}

/**
 * The rig the shaping tests share (deferrals, refusals, warm-up), started before the describe's
 * tests and closed after them: each test drives `runPass` itself with `rigPass`.
 */
export function usePassRig(pool: number): PassRig {
  return useResource(
    async () => {
      const sink = await startSmtpSink({ parse: false });
      const tp = await tempProject({ NEWSLETTER_SMTP_URL: sink.url, NEWSLETTER_SMTP_POOL: String(pool) });
      return { sink, tp, mailer: createMailer(tp.config), project: await loadProject(tp.config) };
    },
    async ({ sink, tp, mailer }) => {
      await mailer.close();
      await sink.close();
      await tp.cleanup();
    },
  );
}

/** The input of one pass at the fixed instant `at` over `db`, through the rig; the test adds shaping or warm-up. */
export function rigPass(rig: PassRig, db: Kysely<Database>, at: number): PassInput & { mailer: Mailer } {
  const { project, tp } = rig;
  return {
    store: kyselyDeliveryStore(db),
    mailer: rig.mailer,
    renderer: project.renderer,
    series: project.series,
    tips: project.tips,
    now: new Date(at),
    settings: passSettings(tp.config),
    clock: () => at,
  };
}
