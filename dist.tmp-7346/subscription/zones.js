// ../../work/wt/h-studio/src/subscription/zones.ts
import { IANAZone } from "luxon";
var zoneChecks = /* @__PURE__ */ new Map();
function isValidZone(zone) {
  if (typeof zone !== "string" || zone.length > 64) return false;
  let valid = zoneChecks.get(zone);
  if (valid === void 0) {
    valid = IANAZone.isValidZone(zone);
    if (zoneChecks.size >= 2e3) zoneChecks.clear();
    zoneChecks.set(zone, valid);
  }
  return valid;
}
export {
  isValidZone
};
//# sourceMappingURL=zones.js.map
