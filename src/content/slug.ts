import path from 'node:path';

/** `03-stop-it.md` → `stop-it`. */
export function slugFromFileName(fileName: string): string {
  return path.basename(fileName, '.md').replace(/^\d+[-_.]?/, '');
}
