import { z } from 'zod';
import type { Problem } from '../problems.ts';
import { contrastRatio } from './colour.ts';
import { LOCAL_TIME } from './local-time.ts';
import { readSeriesFile, type ContentFiles } from './files.ts';
import { closestName, parseYamlSource } from './yaml-source.ts';
import { zodProblems } from './zod-problems.ts';

export const seriesSchema = z.object({
  name: z.string({ error: 'is required: the newsletter\'s name' }).trim().min(1, 'must not be empty'),
  tagline: z.string({ error: 'is required: one line under the name' }).trim().min(1, 'must not be empty'),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language tag like en or en-GB').default('en'),
  from: z.object(
    {
      name: z.string({ error: 'is required' }).trim().min(1, 'must not be empty'),
      address: z.email({ error: 'must be an email address like tips@example.org' }),
    },
    { error: 'must be {name, address}' },
  ),
  postalAddress: z
    .string({ error: 'is required: a postal address for the footer (anti-spam laws ask for one)' })
    .trim()
    .min(1, 'must not be empty'),
  brandColor: z
    .string({ error: 'must be a colour like "#1d5f8a"' })
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like "#1d5f8a"')
    .refine((c) => contrastRatio(c, '#ffffff') >= 4.5, 'must be dark enough for white text (contrast at least 4.5:1 against white), e.g. "#1d5f8a"'),
  sendTime: z.string({ error: 'must be a local time like "19:00"' }).regex(LOCAL_TIME, 'must be a local time like "19:00"'),
  cadenceDays: z.number({ error: 'must be a whole number of days like 7' }).int('must be a whole number of days like 7').min(6, 'must be at least 6 (no reader gets two tips within six days)').max(90, 'must be at most 90'),
  /** Highest US school grade (Flesch-Kincaid) a published tip may read at; `check` enforces it. */
  maxReadingGrade: z.number({ error: 'must be a US school grade like 8' }).min(1, 'must be at least 1').max(16, 'must be at most 16').default(8),
  disclaimer: z.string({ error: 'is required: the medical disclaimer for every footer' }).trim().min(1, 'must not be empty'),
  /** Where readers report a mistake in a tip (the about page's mailto:); default: the sender's address. */
  corrections: z.email({ error: 'must be an email address like corrections@example.org' }).optional(),
  urgentHelp: z.string({ error: 'is required: the urgent-help line for every footer' }).trim().min(1, 'must not be empty'),
});

export type Series = z.infer<typeof seriesSchema>;
const seriesFields = Object.keys(seriesSchema.shape);

export interface SeriesResult {
  series?: Series;
  problems: Problem[];
}

/** Reads and validates `content/series.yml`; every problem is reported with its line. */
export async function loadSeries(contentDir: string, rootDir = process.cwd()): Promise<SeriesResult> {
  return seriesFromFile(await readSeriesFile(contentDir, rootDir));
}

/** Validates series.yml as already read; no `text` means the file could not be read. */
export function seriesFromFile(source: ContentFiles['series']): SeriesResult {
  if (source.text === undefined) {
    return {
      problems: [{ severity: 'error', check: 'series', file: source.file, message: 'series.yml is missing: create it (see the README, "Editor\'s guide")' }],
    };
  }
  return parseSeries(source.text, source.file);
}

export function parseSeries(text: string, file: string): SeriesResult {
  const yaml = parseYamlSource(text, 0);
  if (yaml.syntaxErrors.length) {
    return {
      problems: yaml.syntaxErrors.map((e) => ({ severity: 'error', check: 'yaml', file, line: e.line, message: `not valid YAML: ${e.message}` })),
    };
  }
  const problems: Problem[] = [];
  for (const { key, line } of yaml.topLevelKeys()) {
    if (!seriesFields.includes(key)) {
      const hint = closestName(key, seriesFields);
      problems.push({ severity: 'error', check: 'series', file, line, message: `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}` });
    }
  }
  const parsed = seriesSchema.safeParse(yaml.data ?? {});
  if (!parsed.success) problems.push(...zodProblems(parsed.error, yaml, file, 'series'));
  return problems.length ? { problems } : { series: parsed.data, problems };
}
