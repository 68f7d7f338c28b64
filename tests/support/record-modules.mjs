// `node --import tsx --import ./record-modules.mjs ...` appends the URL of every module the
// process resolves, one a line, to the file named by RECORD_MODULES_TO. Registered after tsx,
// so its hooks run first and see where tsx's resolved each import in the end.
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url, { data: { file: process.env.RECORD_MODULES_TO } });
