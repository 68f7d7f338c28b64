#!/usr/bin/env node
// The `newsletter` command. The source is TypeScript run through tsx's loader, so a fresh
// clone needs no build step: `npm ci && npx newsletter --help` works.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
