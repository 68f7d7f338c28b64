import type { Command } from './command.ts';
import { checkCommand } from './check.ts';
import { newTipCommand } from './new-tip.ts';
import { renderCommand } from './render.ts';
import { startCommand } from './start.ts';

/** Every command, in the order `--help` lists them. */
export const commands: readonly Command[] = [startCommand, checkCommand, renderCommand, newTipCommand];
