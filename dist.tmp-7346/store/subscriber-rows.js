// ../../work/wt/h-studio/src/store/subscriber-rows.ts
var subscriberColumns = {
  publicId: "public_id",
  email: "email",
  emailNormalized: "email_normalized",
  name: "name",
  status: "status",
  timezone: "timezone",
  sendTime: "send_time",
  consentAt: "consent_at",
  consentIp: "consent_ip",
  consentUserAgent: "consent_user_agent",
  consentSource: "consent_source",
  createdAt: "created_at",
  confirmedAt: "confirmed_at",
  statusChangedAt: "status_changed_at",
  nextSendAt: "next_send_at",
  lastSentAt: "last_sent_at",
  confirmSentAt: "confirm_sent_at"
};
var SUBSCRIBER = [
  "id",
  "public_id as publicId",
  "email",
  "email_normalized as emailNormalized",
  "name",
  "status",
  "timezone",
  "send_time as sendTime",
  "consent_at as consentAt",
  "consent_ip as consentIp",
  "consent_user_agent as consentUserAgent",
  "consent_source as consentSource",
  "created_at as createdAt",
  "confirmed_at as confirmedAt",
  "status_changed_at as statusChangedAt",
  "next_send_at as nextSendAt",
  "last_sent_at as lastSentAt",
  "cycle",
  "confirm_sent_at as confirmSentAt"
];
function subscriberRow(s) {
  const row = {};
  for (const [field, column] of Object.entries(subscriberColumns)) row[column] = s[field];
  return row;
}
function subscriberUpdate(patch) {
  const set = {};
  for (const [field, value] of Object.entries(patch)) {
    const column = Object.hasOwn(subscriberColumns, field) ? subscriberColumns[field] : void 0;
    if (column && value !== void 0) set[column] = value;
  }
  return set;
}
export {
  SUBSCRIBER,
  subscriberColumns,
  subscriberRow,
  subscriberUpdate
};
//# sourceMappingURL=subscriber-rows.js.map
