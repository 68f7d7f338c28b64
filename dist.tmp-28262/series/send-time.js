// ../../work/wt/h-studio/src/series/send-time.ts
import { DateTime } from "luxon";
function nextLocalSendTime(after, zone, hhmm) {
  const [hour, minute] = hhmm.split(":").map(Number);
  const start = DateTime.fromJSDate(after, { zone });
  let candidate = start.set({ hour, minute, second: 0, millisecond: 0 });
  if (candidate.toMillis() <= after.getTime())
    candidate = candidate.plus({ days: 1 }).set({ hour, minute, second: 0, millisecond: 0 });
  return candidate.toJSDate();
}
function localSendTimeOnOrAfter(notBefore, zone, hhmm) {
  return nextLocalSendTime(new Date(notBefore.getTime() - 1), zone, hhmm);
}
export {
  localSendTimeOnOrAfter,
  nextLocalSendTime
};
//# sourceMappingURL=send-time.js.map
