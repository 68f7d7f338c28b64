/**
 * What `newsletter new` writes into a fresh tip. `check` looks for every one of these lines:
 * a published tip that still holds one of them is unfinished.
 */
export const SCAFFOLD = {
  preheader: 'One line for the inbox preview: what the reader will learn, 40 to 150 characters.',
  tonight: 'One concrete thing to try tonight, in one or two short sentences.',
  sourceTitle: 'Replace with the name of your source',
  sourceUrl: 'https://www.example.org/replace-with-the-page-you-used',
  body: [
    'Write the tip here in plain words: short sentences, one idea each.',
    '## A sub-heading',
    'Say "may help" where the evidence is weak, and never suggest stopping a medicine',
    'or starting a supplement without a doctor.',
    // A warning is an alert (see alerts.ts): it shows as "Important", apart from a plain quote.
    '> [!WARNING]\n> A safety warning, if the tip needs one: when to get help. Delete it if not.',
  ],
} as const;

/** Phrases that give away scaffold text even after light editing (the start of each line). */
export const SCAFFOLD_MARKERS: readonly string[] = [
  'Write the tip here',
  'A sub-heading',
  'where the evidence is weak, and never suggest stopping',
  'A safety warning, if the tip needs one',
  'One line for the inbox preview',
  'One concrete thing to try tonight, in one or two',
  SCAFFOLD.sourceTitle,
  SCAFFOLD.sourceUrl,
];
