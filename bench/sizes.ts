/**
 * Figure 11: the size of every tip as sent, its HTML part (issue 24's 25 KB) and its whole
 * message (headers, the text part in quoted-printable, the HTML part as it goes on the wire),
 * after against before, and what the change does to the per-recipient send path (fill +
 * encode). Before: the templates as they were (tests/fixtures/templates-before, which the
 * screenshot test holds the emails to), indentation dropped but MJML's columns as written, both
 * parts in quoted-printable. After: today's templates, single columns unwrapped, the HTML 7bit
 * where it can be.
 * `npx tsx bench/sizes.ts 2000` runs it alone.
 */
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { htmlPartBytes, sampleMessages } from '../src/check/sample-messages.ts';
import { encodeParts, encodePartsQuotedPrintable } from '../src/mailer/quoted-printable.ts';
import type { CompiledEmail, PersonalisedEmail } from '../src/render/index.ts';
import { loadProject } from '../src/render/project.ts';
import { listLinks } from '../src/subscription/links.ts';
import { fixtureContent, repoRoot } from '../tests/support/temp-project.ts';

export interface SizeSide {
  /** Bytes of each tip's whole message as sent, in week order. */
  bytes: number[];
  meanBytes: number;
  largestBytes: number;
  largestLabel: string;
  /** Bytes of each tip's HTML part as sent (its body on the wire), in week order: issue 24's 25 KB. */
  htmlBytes: number[];
  htmlMeanBytes: number;
  htmlLargestBytes: number;
  htmlLargestLabel: string;
  /** Recipients per second through fill + encoding (the send path's own work per message). */
  perSecond: number;
  /** Milliseconds for an email's first message: its fixed text prepared for the wire (once per compiled email). */
  firstMessageMs: number;
}

export interface SizeFigure {
  before: SizeSide;
  after: SizeSide;
}

async function side(before: boolean, recipients: number): Promise<SizeSide> {
  const encode = before ? encodePartsQuotedPrintable : encodeParts;
  const config = loadConfig(
    {
      NEWSLETTER_SECRET: 'bench-secret-that-is-at-least-32-bytes-long!!',
      NEWSLETTER_BASE_URL: 'https://night-cramp-weekly.example',
      NEWSLETTER_CONTENT_DIR: fixtureContent,
    },
    repoRoot,
  );
  const templatesDir = path.join(repoRoot, before ? 'tests/fixtures/templates-before' : 'templates');
  const project = await loadProject(
    { ...config, templatesDir, cacheDir: false },
    before ? { compact: 'indentation' } : {},
  );
  const now = new Date();
  const tips = (await sampleMessages(project, config, now, encode)).filter((m) => m.label.startsWith('week '));
  const bytes = tips.map((m) => m.raw.length);
  const largest = bytes.indexOf(Math.max(...bytes));
  const htmlBytes = tips.map((m) => htmlPartBytes(m.raw));
  const htmlLargest = htmlBytes.indexOf(Math.max(...htmlBytes));
  const compiled = await Promise.all(project.tips.filter((t) => !t.draft).map((t) => project.renderer.compileTip(t)));
  const firstMessageMs = firstMessage(compiled, encode, (c) =>
    project.renderer.personaliseParts(c, {
      name: 'Reader',
      ...listLinks(config.baseUrl, 'bench-secret-0123456789abcdef0123456789', 'id', now, c.slug),
    }),
  );
  let sink = 0;
  const t = performance.now();
  for (let i = 0; i < recipients; i++) {
    const c = compiled[i % compiled.length]!;
    const parts = project.renderer.personaliseParts(c, {
      name: `Reader ${i}`,
      ...listLinks(config.baseUrl, 'bench-secret-0123456789abcdef0123456789', `id-${i}`, now, c.slug),
    });
    const encoded = encode(parts);
    sink += encoded.html.body.length + encoded.text.body.length;
  }
  const seconds = (performance.now() - t) / 1000;
  if (sink === 0) throw new Error('nothing encoded');
  return {
    bytes,
    meanBytes: bytes.reduce((a, b) => a + b, 0) / bytes.length,
    largestBytes: bytes[largest]!,
    largestLabel: tips[largest]!.label,
    htmlBytes,
    htmlMeanBytes: htmlBytes.reduce((a, b) => a + b, 0) / htmlBytes.length,
    htmlLargestBytes: htmlBytes[htmlLargest]!,
    htmlLargestLabel: tips[htmlLargest]!.label,
    perSecond: recipients / seconds,
    firstMessageMs,
  };
}

/** Mean ms of each email's first message, on copies of the compiled emails (the prepared pieces are kept per object). */
function firstMessage(
  compiled: CompiledEmail[],
  encode: typeof encodeParts,
  parts: (c: CompiledEmail) => PersonalisedEmail,
): number {
  const fresh = compiled.map((c) => ({
    ...c,
    html: { pieces: [...c.html.pieces], names: [...c.html.names] },
    text: { pieces: [...c.text.pieces], names: [...c.text.names] },
  }));
  const t = performance.now();
  for (const c of fresh) encode(parts(c));
  return (performance.now() - t) / fresh.length;
}

export async function benchSizes(recipients: number): Promise<SizeFigure> {
  // The old side first, so the new one does not run on a colder process.
  const before = await side(true, recipients);
  const after = await side(false, recipients);
  return { before, after };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const n = Number(process.argv[2] ?? 2000);
  const f = await benchSizes(n);
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  for (const [name, s] of Object.entries(f))
    console.log(
      `${name}: HTML part mean ${kb(s.htmlMeanBytes)}, largest ${kb(s.htmlLargestBytes)} (${s.htmlLargestLabel}); whole message mean ${kb(s.meanBytes)}, largest ${kb(s.largestBytes)} (${s.largestLabel}), ${s.perSecond.toFixed(0)} recipients/s fill+encode, first message of an email ${s.firstMessageMs.toFixed(1)} ms; ${s.bytes.map(kb).join(', ')}`,
    );
  console.log(`fill+encode: ${(f.after.perSecond / f.before.perSecond).toFixed(2)}x the recipients/s of before`);
}
