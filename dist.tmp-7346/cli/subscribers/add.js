// ../../work/wt/h-studio/src/cli/subscribers/add.ts
import { linksUse } from "../links-note.js";
import { withApp } from "../with-app.js";
var suppressedBecause = {
  unsubscribed: "they unsubscribed; only they can come back, by subscribing again on the site and confirming",
  erased: "they asked for their data to be erased; only they can come back, by subscribing again on the site and confirming",
  bounced: "their address bounced; if the mailbox works again, run `newsletter subscribers unbounce EMAIL --reason '\u2026'`, or they can subscribe again on the site and confirm",
  complained: "they reported a tip as spam; only they can come back, by subscribing again on the site and confirming",
  operator: "an operator removed them (`subscribers remove`); neither the site nor import brings them back"
};
var add = {
  usage: [
    "newsletter subscribers add EMAIL [--name N] [--timezone Z] [--confirmed]",
    "",
    "Adds one reader; without --confirmed they get a confirmation email first,",
    "with it they are active at once and get the welcome email."
  ].join("\n"),
  options: { name: { type: "string" }, timezone: { type: "string" }, confirmed: { type: "boolean" } },
  positionals: { min: 1, max: 1, missing: "an email address" },
  run: ({ values, positionals }, io) => withApp(io, async (app) => {
    const email = positionals[0];
    const subscriptions = await app.subscriptions();
    const mailer = await app.mailer();
    const confirmed = values.confirmed === true;
    const result = await subscriptions.add({ email, name: values.name, timezone: values.timezone, confirmed, welcome: true, source: "cli" }, io.now());
    if (!result.ok) {
      io.err(`${JSON.stringify(email)}: ${result.reason}`);
      return 1;
    }
    if (result.outcome === "suppressed") {
      io.err(`${email} is on the suppression list: ${suppressedBecause[result.suppressedFor ?? "operator"]}`);
      return 1;
    }
    if (result.outcome === "exists") {
      io.err(`${email} is already on the list (status ${result.subscriber?.status}); nothing changed`);
      return 1;
    }
    const what = confirmed ? "welcome" : "confirmation";
    const sent = await result.send?.();
    if (sent && sent.outcome !== "sent") {
      const why = sent.outcome === "queued" || sent.outcome === "failed" ? `: ${sent.reason}` : ` (${sent.outcome})`;
      const next = sent.outcome === "queued" ? "; it stays queued and the next `newsletter send` (or a tick of `newsletter start`) sends it once the mail server takes it" : "";
      io.err(`${email} was added as ${confirmed ? "active" : "pending"}, but the ${what} email could not be sent now${why}${next}`);
      return 1;
    }
    io.out(`${confirmed ? `added ${email} as active; welcome sent through ${mailer.describe()}` : `added ${email} as pending; confirmation email sent through ${mailer.describe()}`}; ${linksUse(app.config)}`);
    return 0;
  })
};
var add_default = add;
export {
  add_default as default
};
//# sourceMappingURL=add.js.map
