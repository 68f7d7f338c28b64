import { z } from 'zod';
import type { Problem } from '../problems.ts';
import { contrastRatio } from './colour.ts';
import { LOCAL_TIME } from './local-time.ts';
import type { ContentFiles } from './files.ts';
import { closestName, parseYamlSource } from './yaml-source.ts';
import { zodProblems } from './zod-problems.ts';

const LOCALE = /^[a-z]{2}(-[A-Z]{2})?$/;
const EMERGENCY_MESSAGE = 'must be the emergency number readers call, in quotes, like "911" or "999 or 112"';
/** Regions whose emergency number the series knows without being told; others set `emergency`. */
const EMERGENCY_BY_REGION: Readonly<Record<string, string>> = { US: '911', CA: '911' };

export const seriesSchema = z.object({
  name: z.string({ error: "is required: the newsletter's name" }).trim().min(1, 'must not be empty'),
  tagline: z.string({ error: 'is required: one line under the name' }).trim().min(1, 'must not be empty'),
  /** The series' locale (`en-US`): the pages' language and, by default, the emergency number. `language` is its older name. */
  locale: z.string().regex(LOCALE, 'must be a locale like en-US or en-GB').optional(),
  language: z.string().regex(LOCALE, 'must be a language tag like en or en-GB').optional(),
  /** The number(s) readers call in an emergency; `{{emergency}}` in tips and help.md stands for it. */
  emergency: z
    .preprocess(
      (v) => (typeof v === 'number' ? String(v) : v),
      z
        .string({ error: EMERGENCY_MESSAGE })
        .trim()
        .regex(/^\d{2,4}( or \d{2,4})*$/, EMERGENCY_MESSAGE),
    )
    .optional(),
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
    .refine(
      (c) => contrastRatio(c, '#ffffff') >= 4.5,
      'must be dark enough for white text (contrast at least 4.5:1 against white), e.g. "#1d5f8a"',
    ),
  sendTime: z
    .string({ error: 'must be a local time like "19:00"' })
    .regex(LOCAL_TIME, 'must be a local time like "19:00"'),
  cadenceDays: z
    .number({ error: 'must be a whole number of days like 7' })
    .int('must be a whole number of days like 7')
    .min(6, 'must be at least 6 (no reader gets two tips within six days)')
    .max(90, 'must be at most 90'),
  /** Highest US school grade (Flesch-Kincaid) a published tip may read at; `check` enforces it. */
  maxReadingGrade: z
    .number({ error: 'must be a US school grade like 8' })
    .min(1, 'must be at least 1')
    .max(16, 'must be at most 16')
    .default(8),
  /**
   * Hold a tip whose text is unreviewed or overdue for review: its readers wait until
   * `newsletter review` (default: true when NODE_ENV=production, false otherwise).
   */
  requireReview: z.boolean({ error: 'must be true or false' }).optional(),
  disclaimer: z
    .string({ error: 'is required: the medical disclaimer for every footer' })
    .trim()
    .min(1, 'must not be empty'),
  /** Where readers report a mistake in a tip (the about page's mailto:); default: the sender's address. */
  corrections: z.email({ error: 'must be an email address like corrections@example.org' }).optional(),
  /**
   * The footer's urgent-help line when help.md gives none. The footer is built from help.md's
   * first two tiers (see red-flags.ts), so this is only a fallback.
   */
  urgentHelp: z
    .string({ error: 'must be text: the urgent-help line for every footer' })
    .trim()
    .min(1, 'must not be empty')
    .optional(),
  /**
   * Limits per provider site for all senders together (docs/operations.md, "Sending like a good
   * MTA"): `sites: { google: { perMinute: 600, connections: 10 }, default: {...} }`.
   */
  sending: z
    .object(
      {
        sites: z
          .record(
            z.string().regex(/^[a-z0-9.-]+$/, 'must be a site name like google or example.org'),
            z
              .object({
                perMinute: z
                  .number({ error: 'must be a number of messages a minute like 600' })
                  .positive('must be above 0')
                  .optional(),
                connections: z
                  .number({ error: 'must be a whole number of connections like 10' })
                  .int('must be a whole number of connections like 10')
                  .min(1, 'must be at least 1')
                  .optional(),
              })
              .strict(),
          )
          .default({}),
      },
      { error: 'must be {sites: {<site>: {perMinute, connections}}}' },
    )
    .strict()
    .optional(),
  /** A new sending domain's warm-up: the day it began sending and the curve of daily caps on new tips. */
  warmup: z
    .object(
      {
        start: z
          .string({ error: 'must be a date like "2026-12-01" (in quotes)' })
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2026-12-01" (in quotes)'),
        first: z
          .number({ error: 'must be a whole number of tips like 200' })
          .int('must be a whole number of tips like 200')
          .min(1, 'must be at least 1')
          .default(200),
        growth: z
          .number({ error: 'must be a factor like 1.5' })
          .min(1, 'must be at least 1 (1.5 adds half each day)')
          .max(10, 'must be at most 10')
          .default(1.5),
      },
      { error: 'must be {start: "YYYY-MM-DD", first: 200, growth: 1.5}' },
    )
    .strict()
    .optional(),
});

type SeriesFile = z.infer<typeof seriesSchema>;
/** The settings as the rest of the code sees them: locale, emergency number and urgent line always set. */
export type Series = Omit<SeriesFile, 'locale' | 'language' | 'emergency' | 'urgentHelp'> & {
  locale: string;
  /** The same as `locale`: the `lang` of every page and email. */
  language: string;
  emergency: string;
  urgentHelp: string;
  /** `urgentHelp` split by tier (most urgent first), when it is built from help.md: the help page shows one paragraph each. */
  urgentTiers?: string[];
};
const seriesFields = Object.keys(seriesSchema.shape);

export interface SeriesResult {
  series?: Series;
  problems: Problem[];
}

/** Validates series.yml as already read; no `text` means the file could not be read. */
export function seriesFromFile(source: ContentFiles['series']): SeriesResult {
  if (source.text === undefined) {
    return {
      problems: [
        {
          severity: 'error',
          check: 'series',
          file: source.file,
          message: 'series.yml is missing: create it (see docs/editing.md, "Settings and templates")',
        },
      ],
    };
  }
  return parseSeries(source.text, source.file);
}

export function parseSeries(text: string, file: string): SeriesResult {
  const yaml = parseYamlSource(text, 0);
  if (yaml.syntaxErrors.length) {
    return {
      problems: yaml.syntaxErrors.map((e) => ({
        severity: 'error',
        check: 'yaml',
        file,
        line: e.line,
        message: `not valid YAML: ${e.message}`,
      })),
    };
  }
  const problems: Problem[] = [];
  for (const { key, line } of yaml.topLevelKeys()) {
    if (!seriesFields.includes(key)) {
      const hint = closestName(key, seriesFields);
      problems.push({
        severity: 'error',
        check: 'series',
        file,
        line,
        message: `unknown field "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
      });
    }
  }
  const parsed = seriesSchema.safeParse(yaml.data ?? {});
  if (!parsed.success) problems.push(...zodProblems(parsed.error, yaml, file, 'series'));
  if (!parsed.success || problems.length) return { problems };
  const {
    locale: localeField,
    language: languageField,
    emergency: emergencyField,
    urgentHelp: urgentField,
    ...rest
  } = parsed.data;
  if (localeField && languageField && localeField !== languageField) {
    return {
      problems: [
        {
          severity: 'error',
          check: 'series',
          file,
          line: yaml.lineOf(['language']),
          message: `language ${languageField} differs from locale ${localeField}: keep locale only (language is its older name)`,
        },
      ],
    };
  }
  const locale = localeField ?? languageField ?? 'en';
  const region = locale.split('-')[1];
  const emergency = emergencyField ?? (region ? EMERGENCY_BY_REGION[region] : '911');
  if (!emergency) {
    const line = yaml.lineOf([localeField ? 'locale' : 'language']);
    return {
      problems: [
        {
          severity: 'error',
          check: 'series',
          file,
          line,
          message: `emergency is required for locale ${locale}: add the number readers call, e.g. emergency: "999"`,
        },
      ],
    };
  }
  const urgentHelp = urgentField ?? defaultUrgentLine(emergency);
  return { series: { ...rest, locale, language: locale, emergency, urgentHelp }, problems };
}

/** Only for a series whose help.md is missing or gives no urgent signs (the footer is built from it). */
export function defaultUrgentLine(emergency: string): string {
  return `Call ${emergency} (or your local emergency number) now if you are short of breath, have chest pain or cough up blood. Get medical help today if one leg is painful and swollen; if your doctor's office is closed, go to an urgent care center or an emergency room.`;
}
