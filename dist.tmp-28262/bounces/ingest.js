// ../../work/wt/h-studio/src/bounces/ingest.ts
import { applyNotice } from "./apply.js";
import { readReport } from "./report.js";
async function ingestMessage(deps, raw, now) {
  const report = await readReport(raw);
  if (!report.ok) return { outcome: report.ignored ? "ignored" : "unknown", text: report.why };
  return applyNotice(deps, report.notice, now);
}
export {
  ingestMessage
};
//# sourceMappingURL=ingest.js.map
