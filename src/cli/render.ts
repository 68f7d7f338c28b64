import { findTip } from '../content/index.ts';
import { systemEmails, type SystemEmail } from '../render/index.ts';
import { subscriberLinks } from '../subscription/links.ts';
import { UsageError, type LeafCommand } from './command.ts';
import { readerFor } from './reader-for.ts';
import { withApp } from './with-app.ts';

const render: LeafCommand = {
  usage: [
    'newsletter render <week|slug|confirm|welcome|goodbye> [--text] [--email ADDRESS] [--name NAME]',
    '',
    'Prints the email as that reader would get it. Drafts render too.',
    '  --text           print the plain-text part instead of the HTML',
    '  --email ADDRESS  render for this subscriber: their name and their signed links',
    '  --name NAME      the first name to greet (default: the subscriber\'s, or none)',
  ].join('\n'),
  options: { text: { type: 'boolean' }, email: { type: 'string' }, name: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  run: ({ values, positionals }, io) =>
    withApp(io, async (app) => {
      const ref = positionals[0]!;
      const project = await app.project();
      const isSystem = (systemEmails as readonly string[]).includes(ref);
      const tip = isSystem ? undefined : findTip(project.tips, ref);
      if (!isSystem && !tip) {
        const known = project.tips.map((t) => `${t.week} (${t.slug})`).join(', ');
        throw new UsageError(`no tip "${ref}"; known: ${known || 'none'}, or confirm, welcome, goodbye`);
      }
      const compiled = tip ? await project.renderer.compileTip(tip) : await project.renderer.compileSystem(ref as SystemEmail);
      const reader = await readerFor(app, typeof values.email === 'string' ? values.email : 'reader@example.org');
      const links = subscriberLinks(app.config.baseUrl, app.secret, reader.publicId, io.now());
      const finished = project.renderer.personalise(compiled, { name: typeof values.name === 'string' ? values.name : reader.name, ...links });
      io.out(values.text ? finished.text : finished.html);
      return 0;
    }),
};

export default render;
