// ../../work/wt/h-studio/src/cli/send-test.ts
import { findTip } from "../content/index.js";
import { composeTipMessage, senderFor } from "../mailer/compose.js";
import { stableMessageId } from "../mailer/headers.js";
import { SendError } from "../mailer/mailer.js";
import { subscriberLinks } from "../subscription/links.js";
import { checkAddress } from "../subscription/address.js";
import { UsageError } from "./command.js";
import { readerFor } from "./reader-for.js";
import { linksUse } from "./links-note.js";
import { withApp } from "./with-app.js";
var sendTest = {
  usage: [
    "newsletter send-test <week|slug> --to ADDRESS [--name NAME]",
    "",
    "Sends the tip (drafts too) as a reader would get it, through NEWSLETTER_SMTP_URL or the outbox.",
    "Nothing is recorded in the delivery ledger."
  ].join("\n"),
  options: { to: { type: "string" }, name: { type: "string" } },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals }, io) {
    const to = typeof values.to === "string" ? values.to.trim() : "";
    if (!to) throw new UsageError("--to ADDRESS is required, e.g. --to you@example.org");
    if (!checkAddress(to).ok) throw new UsageError(`--to "${to}" is not an email address, e.g. --to you@example.org`);
    return withApp(io, async (app) => {
      const { config } = app;
      const project = await app.project();
      const ref = positionals[0];
      const tip = findTip(project.tips, ref);
      if (!tip)
        throw new UsageError(
          `no tip "${ref}"; known: ${project.tips.map((t) => `${t.week} (${t.slug})`).join(", ") || "none"}`
        );
      const now = io.now();
      const sender = senderFor(project.series, config.from);
      const reader = await readerFor(app, to);
      const name = typeof values.name === "string" ? values.name : reader.name;
      const links = subscriberLinks(config.baseUrl, app.secret, reader.publicId, now, tip.slug);
      const compiled = await project.renderer.compileTip(tip);
      const finished = project.renderer.personalise(compiled, { name, ...links });
      const message = composeTipMessage(finished, { email: to, name }, sender, {
        messageId: stableMessageId(["test", tip.slug, now.getTime()], sender.from),
        unsubscribeUrl: links.unsubscribeUrl,
        slug: tip.slug
      });
      message.headers = { ...message.headers, "X-Newsletter-Test": "yes" };
      const mailer = await app.mailer();
      try {
        const result = await mailer.send(message);
        io.out(
          `Sent week ${tip.week} (${tip.slug})${tip.draft ? " [draft]" : ""} to ${to} through ${mailer.describe()}: ${result.response}; ${linksUse(config)}`
        );
        return 0;
      } catch (e) {
        if (!(e instanceof SendError)) throw e;
        const why = e.kind === "permanent" ? "the server refused this address" : e.kind === "unavailable" ? "the SMTP server is unavailable" : e.kind === "relay" ? "the relay is not taking mail for now; try again" : "a temporary failure; try again";
        io.err(`Could not send to ${to} (${why}): ${e.about.advice ?? e.response}`);
        return 1;
      }
    });
  }
};
var send_test_default = sendTest;
export {
  send_test_default as default
};
//# sourceMappingURL=send-test.js.map
