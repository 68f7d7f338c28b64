import { loadConfig, readEnv } from '../config.ts';
import { checkProject } from '../check.ts';
import { formatProblem, hasErrors } from '../problems.ts';
import type { Command } from './command.ts';

export const checkCommand: Command = {
  name: 'check',
  summary: 'validate settings, every tip and template, and render every email',
  usage: 'newsletter check [--quiet]\n\nPrints each problem as path:line: message, errors first. Exit 1 on any error.',
  options: { quiet: { type: 'boolean', short: 'q' } },
  async run({ values }, io) {
    const config = loadConfig(readEnv(io.cwd, io.env), io.cwd);
    const report = await checkProject(config, io.now());
    const shown = values.quiet ? report.problems.filter((p) => p.severity === 'error') : report.problems;
    for (const p of shown) io.out(formatProblem(p));
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    const warnings = report.problems.filter((p) => p.severity === 'warning').length;
    io.out(`${errors ? '✗' : '✓'} ${report.tipsChecked} tips and ${report.systemEmailsChecked} system emails rendered; ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
    return hasErrors(report.problems) ? 1 : 0;
  },
};
