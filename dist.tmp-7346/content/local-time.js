// ../../work/wt/h-studio/src/content/local-time.ts
import { DateTime } from "luxon";
var LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
function isLocalTime(value) {
  return typeof value === "string" && LOCAL_TIME.test(value);
}
function describeLocalTime(ms, zone) {
  return `${DateTime.fromMillis(ms, { zone }).setLocale("en-GB").toFormat("cccc d LLLL 'at' HH:mm")} (${zone})`;
}
export {
  LOCAL_TIME,
  describeLocalTime,
  isLocalTime
};
//# sourceMappingURL=local-time.js.map
