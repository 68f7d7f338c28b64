import type { LeafCommand } from './command.ts';
import { withApp } from './with-app.ts';

/** `newsletter warmup`: where a new sending domain's warm-up stands today (series.yml `warmup`). */
const warmup: LeafCommand = {
  usage:
    "newsletter warmup [--json]\n\nShows the warm-up of a new sending domain (series.yml `warmup: {start, first, growth}`):\ntoday's warm-up day, its cap on new tips for all senders together, how many were sent today,\nthe list size and the day the cap ends (from then on, no cap). Welcomes, confirmations and\nretries are never capped.\n  --json   print the numbers as JSON",
  options: { json: { type: 'boolean' } },
  run: ({ values }, io) =>
    withApp(io, async (app) => {
      const json = Boolean(values.json);
      const status = await (await app.statsReader()).warmup(io.now().getTime());
      if (!status) {
        if (json) io.out(JSON.stringify({ warmup: null }));
        else
          io.out(
            'No warm-up: series.yml sets no `warmup`. For a new sending domain add `warmup: {start: "YYYY-MM-DD"}` (the day it began sending); see docs/operations.md.',
          );
        return 0;
      }
      if (json) {
        io.out(JSON.stringify({ warmup: status }));
        return 0;
      }
      io.out(`warm-up day   ${status.day}`);
      io.out(`today's cap   ${status.cap === undefined ? 'none (the curve has passed the list size)' : status.cap}`);
      io.out(`used today    ${status.used}`);
      io.out(`list size     ${status.listSize}`);
      io.out(`cap ends on   ${status.endsOn}`);
      return 0;
    }),
};

export default warmup;
