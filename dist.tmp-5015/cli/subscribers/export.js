// ../../work/wt/h-studio/src/cli/subscribers/export.ts
import { stringify } from "csv-stringify/sync";
import { UsageError } from "../command.js";
import { withApp } from "../with-app.js";
import { iso, statusOption } from "./status.js";
var EXPORT_COLUMNS = [
  "email",
  "name",
  "status",
  "timezone",
  "send_time",
  "created_at",
  "confirmed_at",
  "status_changed_at",
  "next_send_at",
  "last_sent_at",
  "cycle",
  "consent_at",
  "consent_source",
  "consent_ip",
  "consent_user_agent"
];
function exportRow(s) {
  return {
    email: s.email,
    name: s.name ?? "",
    status: s.status,
    timezone: s.timezone ?? "",
    send_time: s.sendTime ?? "",
    created_at: iso(s.createdAt),
    confirmed_at: iso(s.confirmedAt),
    status_changed_at: iso(s.statusChangedAt),
    next_send_at: iso(s.nextSendAt),
    last_sent_at: iso(s.lastSentAt),
    cycle: s.cycle,
    consent_at: iso(s.consentAt),
    consent_source: s.consentSource ?? "",
    consent_ip: s.consentIp ?? "",
    consent_user_agent: s.consentUserAgent ?? ""
  };
}
function neutraliseCell(value) {
  return typeof value === "string" && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
var exportCommand = {
  usage: [
    "newsletter subscribers export [--format csv|json] [--status S]",
    "",
    "Everything but internal ids, to stdout, one reader at a time (any size of list).",
    "CSV is safe to open in a spreadsheet: a cell that starts with = + - @, a tab or a carriage",
    "return (a formula, perhaps typed into the public form) is written with a leading ' so it",
    "shows as text (OWASP CSV injection advice). JSON is written exactly as stored."
  ].join("\n"),
  options: { format: { type: "string" }, status: { type: "string" } },
  async run({ values }, io) {
    const format = values.format ?? "csv";
    if (format !== "csv" && format !== "json") throw new UsageError("--format must be csv or json");
    const status = statusOption(values.status);
    return withApp(io, async (app) => {
      const store = await app.subscribers();
      const readers = store.list(status ? { status } : {});
      if (format === "json") {
        let first = true;
        for await (const s of readers) {
          io.out(`${first ? "[" : ","}
  ${JSON.stringify(exportRow(s), null, 2).replace(/\n/g, "\n  ")}`);
          first = false;
        }
        io.out(first ? "[]" : "]");
        return 0;
      }
      io.out(stringify([], { header: true, columns: EXPORT_COLUMNS }).trimEnd());
      for await (const s of readers) {
        const row = exportRow(s);
        const safe = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, neutraliseCell(v)]));
        io.out(stringify([safe], { columns: EXPORT_COLUMNS }).trimEnd());
      }
      return 0;
    });
  }
};
var export_default = exportCommand;
export {
  export_default as default,
  neutraliseCell
};
//# sourceMappingURL=export.js.map
