/** The readers an editor can preview an email for: names are where personalisation breaks. */
export const sampleReaders = {
  first: { label: 'First name (Sam)', name: 'Sam', address: 'sam@example.org' },
  none: { label: 'No name', name: null, address: 'reader@example.org' },
  // Long, with characters that must be escaped, so both the layout and the escaping are tried.
  long: {
    label: 'Very long name',
    name: `Maximiliana-Theodora O'Brien & Wolfeschlegelsteinhausenberger-Featherstonehaugh`,
    address: 'maximiliana@example.org',
  },
} as const;

export type SampleReaderId = keyof typeof sampleReaders;

export const sampleReaderIds = Object.keys(sampleReaders) as SampleReaderId[];

export function isSampleReader(id: unknown): id is SampleReaderId {
  return typeof id === 'string' && (sampleReaderIds as string[]).includes(id);
}
