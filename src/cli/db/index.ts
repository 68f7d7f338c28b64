import type { CommandGroup } from '../command.ts';

const db: CommandGroup = {
  usage: [
    'newsletter db <copy|backup> ...',
    '',
    '  copy FROM-URL TO-URL [--force]   copies the whole store to another database (SQLite or',
    '        PostgreSQL, either way), ids and all, and checks the row counts',
    '  backup FILE                      a consistent copy of the SQLite database while it runs',
  ].join('\n'),
  subcommands: [
    { name: 'copy', summary: 'copy the whole store to another database', load: () => import('./copy.ts') },
    {
      name: 'backup',
      summary: 'a consistent copy of the SQLite database while it runs',
      load: () => import('./backup.ts'),
    },
  ],
};

export default db;
