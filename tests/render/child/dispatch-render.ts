import { createHash } from 'node:crypto';
import { loadConfig } from '../../../src/config.ts';
import { systemEmails } from '../../../src/render/index.ts';
import { loadProject } from '../../../src/render/project.ts';

/**
 * What a dispatch pass asks of render, in a process of its own: load the project, compile every
 * email, fill readers in. Prints a digest of every finished email and the process's peak memory.
 * Usage: node --import tsx dispatch-render.ts <project folder>
 */
const dir = process.argv[2]!;
const config = loadConfig(
  { NEWSLETTER_SECRET: 'child-secret-that-is-at-least-32-bytes!!', NEWSLETTER_BASE_URL: 'https://news.example.org' },
  dir,
);
const started = performance.now();
const project = await loadProject(config);
const emails = [
  ...(await Promise.all(project.tips.map((t) => project.renderer.compileTip(t)))),
  ...(await Promise.all(systemEmails.map((k) => project.renderer.compileSystem(k)))),
];
const digest = createHash('sha256');
for (let i = 0; i < 100; i++) {
  for (const email of emails) {
    const done = project.renderer.personalise(email, {
      name: `Reader ${i}`,
      unsubscribeUrl: `https://news.example.org/u/${i}`,
      preferencesUrl: `https://news.example.org/p/${i}`,
      confirmUrl: `https://news.example.org/c/${i}`,
      feedbackUrl: `https://news.example.org/f/${i}`,
    });
    digest.update(done.subject).update(done.html).update(done.text);
  }
}
const ms = Math.round(performance.now() - started);
console.log(
  JSON.stringify({
    emails: emails.length,
    digest: digest.digest('hex'),
    ms,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
