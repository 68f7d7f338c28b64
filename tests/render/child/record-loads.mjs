// `node --import ./record-loads.mjs`: appends every module URL the process resolves to the file
// named by NCW_LOAD_LOG, so a test can see which packages a run loaded. Hooks run off the main
// thread, hence a file rather than memory.
import { register } from 'node:module';

register('./record-loads-hooks.mjs', import.meta.url, { data: { log: process.env.NCW_LOAD_LOG } });
