import { stat } from 'node:fs/promises';
import path from 'node:path';
import {
  publishedTips,
  siteTips,
  vouchedReview,
  type ContentPage,
  type Series,
  type Tip,
  type TipHold,
  type TipHolds,
} from '../../content/index.ts';
import { watchFolders, type FileWatcher } from '../../content/watch.ts';

/** What the public pages are made from: only published tips, ever. */
export interface PublicContent {
  series: Series;
  /** Published tips in week order; drafts never get here. */
  tips: readonly Tip[];
  pages: readonly ContentPage[];
  /** Per slug, the tip's `updated` day for the feed and sitemap: `reviewed` (else the file's date), or its latest correction's date if later. */
  updated: Readonly<Record<string, string>>;
  /** Published tips left off the site because they fail `check` (see check/release-gate.ts). */
  blocked: readonly TipHold[];
}

/**
 * The content the site serves now. `version` changes whenever the content does, so pages made
 * from it are kept until then and rendered once per change, not per request.
 */
export interface ContentSource {
  current(): PublicContent;
  version(): number;
  close(): Promise<void>;
}

export interface LoadedContent {
  series: Series;
  tips: readonly Tip[];
  pages: readonly ContentPage[];
  /** The publish rules' verdicts (the app's `released` project); absent: none. */
  holds?: TipHolds;
}

/** A fixed snapshot (tests, or a site built without a content folder to watch). */
export async function fixedContent(loaded: LoadedContent, rootDir?: string): Promise<ContentSource> {
  const content = await publicContent(loaded, rootDir);
  return { current: () => content, version: () => 0, close: async () => undefined };
}

export async function publicContent(loaded: LoadedContent, rootDir?: string): Promise<PublicContent> {
  // A published tip that fails `check` is not on the site (page, archive, count, feed, sitemap).
  const tips = siteTips(publishedTips(loaded.tips), loaded.holds);
  const blocked = [...(loaded.holds?.values() ?? [])].filter((h) => h.kind === 'blocked');
  const updated: Record<string, string> = {};
  // A review of the text readers get dates it; an edit since, the file's own date.
  for (const tip of tips) {
    const day = vouchedReview(tip)?.reviewed ?? (await fileDay(rootDir, tip.file));
    // A correction is an update readers of the feed must see: the entry moves to its date.
    updated[tip.slug] = [day, ...tip.corrections.map((c) => c.date)].sort().at(-1)!;
  }
  return { series: loaded.series, tips, pages: loaded.pages, updated, blocked };
}

async function fileDay(rootDir: string | undefined, file: string): Promise<string> {
  const s = await stat(path.resolve(rootDir ?? process.cwd(), file)).catch(() => undefined);
  return (s?.mtime ?? new Date(0)).toISOString().slice(0, 10);
}

export interface LiveContentOptions {
  /** Reads content again (the app's project loader: it reuses the compiled-content cache). */
  load(): Promise<LoadedContent>;
  /** Content already loaded (the project `start` just loaded), so the first read is not done twice. */
  initial?: LoadedContent;
  /** Folders whose changes mean new content: `content/`. */
  folders: string[];
  rootDir: string;
  /** Where a failed reload is reported; the site keeps serving the last good content. */
  log?: (line: string) => void;
}

/**
 * Content that follows the files: the studio's file watcher reloads it after an editor saves,
 * so a tip's page shows the change without a restart. A reload that fails (a broken
 * series.yml) keeps the last good content; the next save tries again.
 */
export async function liveContent(options: LiveContentOptions): Promise<ContentSource> {
  let content = await publicContent(options.initial ?? (await options.load()), options.rootDir);
  // One line per blocked tip when it is first seen, and again only after it was fixed and broke anew.
  let told = new Set<string>();
  const tell = () => {
    for (const h of content.blocked)
      if (!told.has(h.slug))
        options.log?.(`week ${h.week} (${h.slug}) is not on the site and not sent: ${h.why}; ${h.release} (${h.file})`);
    told = new Set(content.blocked.map((h) => h.slug));
  };
  tell();
  let version = 0;
  let running: Promise<void> = Promise.resolve();
  const reload = () => {
    running = running.then(async () => {
      try {
        content = await publicContent(await options.load(), options.rootDir);
        version++;
        tell();
      } catch (e) {
        options.log?.(
          `content could not be reloaded, the site keeps the last good version: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        );
      }
    });
  };
  const watcher: FileWatcher = watchFolders(options.folders, reload, 50);
  await watcher.ready;
  return {
    current: () => content,
    version: () => version,
    async close() {
      await watcher.close();
      await running;
    },
  };
}
