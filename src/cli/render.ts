import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findTip } from '../content/index.ts';
import { systemEmails, type CompiledEmail, type SystemEmail } from '../render/index.ts';
import { subscriberLinks } from '../subscription/links.ts';
import { greetingName } from '../subscription/names.ts';
import { UsageError, type LeafCommand } from './command.ts';
import { readerFor } from './reader-for.ts';
import { linksUse } from './links-note.ts';
import { withApp } from './with-app.ts';

const render: LeafCommand = {
  usage: [
    'newsletter render <week|slug|confirm|welcome|goodbye> [--text] [--email ADDRESS] [--name NAME]',
    'newsletter render --all [--out DIR] [--email ADDRESS] [--name NAME]',
    '',
    'Prints the email as that reader would get it. Drafts render too.',
    '  --all            write every email, HTML and text, into --out (default: rendered/):',
    '                   WEEK-SLUG.html and .txt for tips, confirm.html and .txt and so on',
    '  --text           print the plain-text part instead of the HTML',
    '  --email ADDRESS  render for this subscriber: their name and their signed links',
    "  --name NAME      the first name to greet (default: the subscriber's, or none)",
  ].join('\n'),
  options: {
    text: { type: 'boolean' },
    email: { type: 'string' },
    name: { type: 'string' },
    all: { type: 'boolean' },
    out: { type: 'string' },
  },
  positionals: { min: 0, max: 1 },
  run: ({ values, positionals }, io) =>
    withApp(io, async (app) => {
      if (values.all ? positionals.length > 0 : positionals.length !== 1)
        throw new UsageError(
          values.all
            ? '--all renders every email: leave out the week or slug'
            : 'missing the week, slug or system email to render',
        );
      if (!values.all && values.out !== undefined) throw new UsageError('--out goes with --all');
      const project = await app.project();
      const reader = await readerFor(app, typeof values.email === 'string' ? values.email : 'reader@example.org');
      const name = typeof values.name === 'string' ? values.name : reader.name;
      // A tip's links include its own "Did this help?" link, signed for this reader and that tip.
      const recipientFor = (compiled: CompiledEmail) => ({
        name: greetingName(compiled.kind, name),
        ...subscriberLinks(app.config.baseUrl, app.secret, reader.publicId, io.now(), compiled.slug),
      });
      if (values.all) {
        const dir = path.resolve(io.cwd, typeof values.out === 'string' ? values.out : 'rendered');
        await mkdir(dir, { recursive: true });
        const emails = [
          ...[...project.tips]
            .sort((a, b) => a.week - b.week)
            .map((t) => ({
              name: `${String(t.week).padStart(2, '0')}-${t.slug}`,
              compiled: () => project.renderer.compileTip(t),
            })),
          ...systemEmails.map((kind) => ({ name: kind, compiled: () => project.renderer.compileSystem(kind) })),
        ];
        for (const e of emails) {
          const compiled = await e.compiled();
          const finished = project.renderer.personalise(compiled, recipientFor(compiled));
          await writeFile(path.join(dir, `${e.name}.html`), finished.html);
          await writeFile(path.join(dir, `${e.name}.txt`), finished.text);
        }
        io.out(
          `wrote ${emails.length} emails (HTML and text) to ${path.relative(io.cwd, dir) || '.'}; ${linksUse(app.config)}`,
        );
        return 0;
      }
      const ref = positionals[0]!;
      const isSystem = (systemEmails as readonly string[]).includes(ref);
      const tip = isSystem ? undefined : findTip(project.tips, ref);
      if (!isSystem && !tip) {
        const known = project.tips.map((t) => `${t.week} (${t.slug})`).join(', ');
        throw new UsageError(`no tip "${ref}"; known: ${known || 'none'}, or confirm, welcome, goodbye`);
      }
      const compiled = tip
        ? await project.renderer.compileTip(tip)
        : await project.renderer.compileSystem(ref as SystemEmail);
      const finished = project.renderer.personalise(compiled, recipientFor(compiled));
      io.out(values.text ? finished.text : finished.html);
      return 0;
    }),
};

export default render;
