import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** One template file as read from disk. */
export interface TemplateFile {
  abs: string;
  text: string;
}

/**
 * Every template the loader uses (`*.hbs` at the top and in `partials/`), read once. Handlebars
 * compiles exactly this snapshot, so a cache keyed by it cannot pair old output with new files.
 * Throws when the folder cannot be read: nothing can be rendered then.
 */
export async function readTemplateFiles(templatesDir: string): Promise<TemplateFile[]> {
  const files: TemplateFile[] = [];
  for (const abs of await listTemplates(templatesDir)) files.push({ abs, text: await readFile(abs, 'utf8') });
  return files;
}

async function listTemplates(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name === 'partials') out.push(...(await listTemplates(abs)));
    else if (entry.isFile() && entry.name.endsWith('.hbs')) out.push(abs);
  }
  return out.sort();
}
