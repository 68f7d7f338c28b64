import type { CommandGroup } from '../command.ts';

const bounces: CommandGroup = {
  usage: [
    'newsletter bounces ingest [FILE…|-]',
    '',
    '  ingest   reads delivery status notifications (RFC 3464), plain-text bounces (qmail, Exim,',
    '           Sendmail, Exchange) and complaint reports (RFC 5965) from files, or from stdin',
    '           with - or no file (an MTA pipe), and applies them:',
    '           hard bounce → bounced; 3 soft bounces in 30 days → bounced; complaint → unsubscribed.',
  ].join('\n'),
  subcommands: [
    {
      name: 'ingest',
      summary: 'apply DSN, plain-text bounce and ARF messages from files or stdin',
      load: () => import('./ingest.ts'),
    },
  ],
};

export default bounces;
