import type { Command } from './command.ts';
import { checkCommand } from './check.ts';

export const startCommand: Command = {
  name: 'start',
  summary: 'the main job: public site and scheduler in one process',
  usage: 'newsletter start\n\nUntil the public site lands this runs the content check and exits.',
  async run(args, io) {
    io.out('Checking the content (the public site and the scheduler are not built yet).');
    const code = await checkCommand.run({ values: {}, positionals: [] }, io);
    return code;
  },
};
