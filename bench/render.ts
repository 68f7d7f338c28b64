import { performance } from 'node:perf_hooks';
import type { App } from '../src/app.ts';
import { compileMjml } from '../src/render/mjml.ts';
import { Renderer } from '../src/render/index.ts';
import { loadTemplates } from '../src/render/templates.ts';
import { subscriberLinks } from '../src/subscription/links.ts';

export interface RenderFigure {
  /** Median µs to personalise one recipient from the compiled tip (links signed included). */
  perRecipientUs: number;
  /** Median µs to compile Handlebars + MJML for one recipient: the per-recipient baseline. */
  mjmlPerRecipientUs: number;
  coldCompileMs: number;
  warmCompileMs: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/** Figure 3: personalising from the compiled tip against compiling MJML per recipient. */
export async function benchRender(app: App, recipients: number, mjmlRuns: number): Promise<RenderFigure> {
  const { config } = app;
  const project = await app.project();
  const tip = project.tips[0]!;
  const secret = 'bench-secret-0123456789abcdef0123456789';
  const now = new Date();

  let t = performance.now();
  const compiled = await project.renderer.compileTip(tip);
  const coldCompileMs = performance.now() - t;

  const templates = await loadTemplates(config.templatesDir, config.rootDir);
  const warmTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const fresh = new Renderer({ templates, series: project.series, baseUrl: config.baseUrl });
    t = performance.now();
    await fresh.compileTip(tip);
    warmTimes.push(performance.now() - t);
  }

  const per: number[] = [];
  let bytes = 0;
  for (let i = 0; i < recipients; i++) {
    t = performance.now();
    const email = project.renderer.personalise(compiled, {
      name: `Reader ${i}`,
      ...subscriberLinks(config.baseUrl, secret, `id-${i}`, now, tip.slug),
    });
    per.push((performance.now() - t) * 1000);
    bytes += email.html.length;
  }

  // The baseline: what a pipeline without "compile once" does for every recipient.
  const mjmlTimes: number[] = [];
  for (let i = 0; i < mjmlRuns; i++) {
    const fresh = new Renderer({ templates, series: project.series, baseUrl: config.baseUrl, mjml: compileMjml });
    t = performance.now();
    const c = await fresh.compileTip({ ...tip, title: `${tip.title} ${i}` });
    fresh.personalise(c, { name: `Reader ${i}`, ...subscriberLinks(config.baseUrl, secret, `id-${i}`, now, tip.slug) });
    mjmlTimes.push((performance.now() - t) * 1000);
  }
  if (bytes === 0) throw new Error('nothing rendered');
  return {
    perRecipientUs: median(per),
    mjmlPerRecipientUs: median(mjmlTimes),
    coldCompileMs,
    warmCompileMs: median(warmTimes),
  };
}
