import type { Command } from './command.ts';
import { checkCommand } from './check.ts';
import { newTipCommand } from './new-tip.ts';
import { previewCommand } from './preview.ts';
import { renderCommand } from './render.ts';
import { sendCommand } from './send.ts';
import { sendTestCommand } from './send-test.ts';
import { statsCommand } from './stats.ts';
import { subscribersCommand } from './subscribers.ts';
import { migrateCommand } from './migrate.ts';
import { startCommand } from './start.ts';

/** Every command, in the order `--help` lists them. */
export const commands: readonly Command[] = [startCommand, previewCommand, checkCommand, renderCommand, newTipCommand, sendCommand, sendTestCommand, subscribersCommand, migrateCommand, statsCommand];
