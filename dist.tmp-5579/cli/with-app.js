// ../../work/wt/h-studio/src/cli/with-app.ts
import { ConfigError } from "../errors.js";
import { describeWriteFailure, openApp } from "../app.js";
async function withApp(io, use, options) {
  const app = openApp(io, options);
  try {
    return await use(app);
  } catch (e) {
    const line = describeWriteFailure(e, app.config.database, { done: "the change was not saved" });
    throw line ? new ConfigError(line) : e;
  } finally {
    await app.close();
  }
}
export {
  withApp
};
//# sourceMappingURL=with-app.js.map
