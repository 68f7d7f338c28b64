// ../../work/wt/h-studio/src/cli/check.ts
import { checkProject } from "../check/run-checks.js";
import { formatProblem, hasErrors } from "../problems.js";
import { linksUse } from "./links-note.js";
import { withApp } from "./with-app.js";
var plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;
var check = {
  usage: [
    "newsletter check [--production] [--quiet | --verbose]",
    "",
    "Validates settings, tips and templates, renders every email and enforces the writing rules",
    "(placeholders, 250-450 words, reading grade, tonight, reviewed), the includes of red flags in",
    "content/pages/help.md, and 911/emergency/urgent outside a > [!WARNING]. Prints each problem as",
    "path:line: message, errors first. Exit 1 on any error.",
    "  --production  also the launch gates (as with NODE_ENV=production): a real postal address,",
    "                a sender on a real domain, an https NEWSLETTER_BASE_URL",
    "  --quiet    errors only",
    "  --verbose  also the notes: reading time, email-client support (caniemail)"
  ].join("\n"),
  options: {
    production: { type: "boolean" },
    quiet: { type: "boolean", short: "q" },
    verbose: { type: "boolean", short: "v" }
  },
  run: ({ values }, io) => withApp(io, async (app) => {
    const report = await checkProject(app.config, io.now(), values.production ? { production: true } : {});
    const count = (s) => report.problems.filter((p) => p.severity === s).length;
    const shown = values.quiet ? ["error"] : values.verbose ? ["error", "warning", "info"] : ["error", "warning"];
    for (const p of report.problems) if (shown.includes(p.severity)) io.out(formatProblem(p));
    const notes = count("info");
    const hidden = notes && !values.verbose ? `; ${plural(notes, "note")} (--verbose shows them)` : "";
    io.out(
      `${count("error") ? "\u2717" : "\u2713"} ${report.tipsChecked} tips and ${report.systemEmailsChecked} system emails rendered; ${plural(count("error"), "error")}, ${plural(count("warning"), "warning")}${hidden}; ${linksUse(app.config)}`
    );
    return hasErrors(report.problems) ? 1 : 0;
  })
};
var check_default = check;
export {
  check_default as default
};
//# sourceMappingURL=check.js.map
