// ../../work/wt/h-studio/src/cli/new-tip.ts
import path from "node:path";
import { nextFreeWeek, scaffoldTip, slugify, tipTemplate } from "../content/scaffold.js";
import { UsageError } from "./command.js";
var newTip = {
  usage: 'newsletter new "Title"\n\nWrites content/tips/NN-slug.md as a draft with valid front matter.',
  positionals: { min: 1, max: 1 },
  async run({ positionals }, io) {
    const title = positionals[0].trim();
    if (!slugify(title)) throw new UsageError("the title needs at least one letter or digit");
    const made = await scaffoldTip(path.join(io.cwd, "content", "tips"), title);
    if (!made.ok) {
      io.err(made.error);
      return 1;
    }
    io.out(path.relative(io.cwd, made.file));
    return 0;
  }
};
var new_tip_default = newTip;
export {
  new_tip_default as default,
  nextFreeWeek,
  slugify,
  tipTemplate
};
//# sourceMappingURL=new-tip.js.map
