// ../../work/wt/h-studio/src/cli/subscribers/list.ts
import { withApp } from "../with-app.js";
import { iso, STATUSES, statusOption } from "./status.js";
var list = {
  usage: "newsletter subscribers list [--status S]\n\nOne line per subscriber (email, status, name, time zone, date added); the counts by status on stderr.",
  options: { status: { type: "string" } },
  async run({ values }, io) {
    const status = statusOption(values.status);
    return withApp(io, async (app) => {
      const store = await app.subscribers();
      let n = 0;
      for await (const s of store.list(status ? { status } : {})) {
        io.out([s.email, s.status, s.name ?? "-", s.timezone ?? `(${app.config.timezone})`, iso(s.createdAt).slice(0, 10)].join("	"));
        n++;
      }
      const counts = await store.countByStatus();
      io.err(`${n} subscriber${n === 1 ? "" : "s"}${status ? ` ${status}` : ""}; all: ${STATUSES.map((k) => `${counts[k] ?? 0} ${k}`).join(", ")}`);
      return 0;
    });
  }
};
var list_default = list;
export {
  list_default as default
};
//# sourceMappingURL=list.js.map
