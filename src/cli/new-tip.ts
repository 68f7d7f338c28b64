import path from 'node:path';
import { nextFreeWeek, scaffoldTip, slugify, tipTemplate } from '../content/scaffold.ts';
import { UsageError, type LeafCommand } from './command.ts';

// The scaffold lives in content/ so the studio's "New tip" writes exactly the same file.
export { nextFreeWeek, slugify, tipTemplate };

const newTip: LeafCommand = {
  usage: 'newsletter new "Title"\n\nWrites content/tips/NN-slug.md as a draft with valid front matter.',
  positionals: { min: 1, max: 1 },
  async run({ positionals }, io) {
    const title = positionals[0]!.trim();
    if (!slugify(title)) throw new UsageError('the title needs at least one letter or digit');
    const made = await scaffoldTip(path.join(io.cwd, 'content', 'tips'), title);
    if (!made.ok) {
      io.err(made.error);
      return 1;
    }
    io.out(path.relative(io.cwd, made.file));
    return 0;
  },
};

export default newTip;
