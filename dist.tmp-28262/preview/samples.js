// ../../work/wt/h-studio/src/preview/samples.ts
var sampleReaders = {
  first: { label: "First name (Sam)", name: "Sam", address: "sam@example.org" },
  none: { label: "No name", name: null, address: "reader@example.org" },
  // Long, with characters that must be escaped, so both the layout and the escaping are tried.
  long: {
    label: "Very long name",
    name: `Maximiliana-Theodora O'Brien & Wolfeschlegelsteinhausenberger-Featherstonehaugh`,
    address: "maximiliana@example.org"
  }
};
var sampleReaderIds = Object.keys(sampleReaders);
function isSampleReader(id) {
  return typeof id === "string" && sampleReaderIds.includes(id);
}
export {
  isSampleReader,
  sampleReaderIds,
  sampleReaders
};
//# sourceMappingURL=samples.js.map
