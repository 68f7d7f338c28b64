// ../../work/wt/h-studio/src/cli/reader-for.ts
import { createHash } from "node:crypto";
import { normalizeAddress } from "../subscription/address.js";
async function readerFor(app, email) {
  const s = await app.storedReader(normalizeAddress(email)).catch(() => void 0);
  if (s) return { publicId: s.publicId, name: s.name, stored: true };
  return {
    publicId: createHash("sha256").update(normalizeAddress(email)).digest("hex").slice(0, 24),
    name: null,
    stored: false
  };
}
export {
  readerFor
};
//# sourceMappingURL=reader-for.js.map
