// ../../work/wt/h-studio/src/subscription/events.ts
import { maskAddress } from "../redact.js";
function eventFor(event, s, extra = {}) {
  return {
    event,
    ...s?.id !== void 0 ? { subscriber: s.id } : {},
    ...s ? { address: maskAddress(s.emailNormalized) } : {},
    ...extra
  };
}
export {
  eventFor
};
//# sourceMappingURL=events.js.map
