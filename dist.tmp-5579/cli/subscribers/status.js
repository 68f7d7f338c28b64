// ../../work/wt/h-studio/src/cli/subscribers/status.ts
import { UsageError } from "../command.js";
var STATUSES = ["pending", "active", "paused", "unsubscribed", "bounced", "complained"];
function statusOption(value) {
  if (value === void 0) return void 0;
  if (typeof value !== "string" || !STATUSES.includes(value)) throw new UsageError(`--status must be one of ${STATUSES.join(", ")}`);
  return value;
}
var iso = (ms) => ms === null ? "" : new Date(ms).toISOString();
export {
  STATUSES,
  iso,
  statusOption
};
//# sourceMappingURL=status.js.map
