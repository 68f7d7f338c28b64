import type { CommandGroup } from '../command.ts';

const db: CommandGroup = {
  usage: [
    'newsletter db <copy> ...',
    '',
    '  copy FROM-URL TO-URL [--force]   copies the whole store to another database (SQLite or',
    '        PostgreSQL, either way), ids and all, and checks the row counts',
  ].join('\n'),
  subcommands: [{ name: 'copy', summary: 'copy the whole store to another database', load: () => import('./copy.ts') }],
};

export default db;
