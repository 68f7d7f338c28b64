// ../../work/wt/h-studio/src/series/cadence.ts
import { DateTime, IANAZone } from "luxon";
import { isLocalTime } from "../content/local-time.js";
import { localSendTimeOnOrAfter } from "./send-time.js";
var MIN_DAYS_BETWEEN_TIPS = 6;
var DAY_MS = 864e5;
var SLACK_HOURS = 12;
function sendClockFor(reader, defaults) {
  const zone = reader.timezone && IANAZone.isValidZone(reader.timezone) ? reader.timezone : defaults.zone;
  const time = isLocalTime(reader.sendTime) ? reader.sendTime : defaults.time;
  return { zone, time };
}
function nextTipTime(sentAt, clock, cadenceDays) {
  const local = DateTime.fromJSDate(sentAt, { zone: clock.zone });
  const byCadence = local.plus({ days: cadenceDays }).minus({ hours: SLACK_HOURS });
  const floor = sentAt.getTime() + MIN_DAYS_BETWEEN_TIPS * DAY_MS;
  return localSendTimeOnOrAfter(new Date(Math.max(byCadence.toMillis(), floor)), clock.zone, clock.time);
}
function earliestNextTip(lastSentAt, clock) {
  return localSendTimeOnOrAfter(
    new Date(lastSentAt.getTime() + MIN_DAYS_BETWEEN_TIPS * DAY_MS),
    clock.zone,
    clock.time
  );
}
function nextDueAfterChange(now, lastSentAt, clock, cadenceDays) {
  let earliest = now.getTime();
  if (lastSentAt !== null) {
    const cadenceDay = DateTime.fromMillis(lastSentAt + cadenceDays * DAY_MS, { zone: clock.zone }).startOf("day").toMillis();
    earliest = Math.max(earliest, cadenceDay, lastSentAt + MIN_DAYS_BETWEEN_TIPS * DAY_MS);
  }
  return localSendTimeOnOrAfter(new Date(earliest), clock.zone, clock.time);
}
export {
  MIN_DAYS_BETWEEN_TIPS,
  earliestNextTip,
  nextDueAfterChange,
  nextTipTime,
  sendClockFor
};
//# sourceMappingURL=cadence.js.map
