// ../../work/wt/h-studio/src/cli/subscribers/remove.ts
import { addressHash, checkAddress } from "../../subscription/address.js";
import { UsageError } from "../command.js";
import { withApp } from "../with-app.js";
var remove = {
  usage: [
    "newsletter subscribers remove EMAIL",
    "",
    "Erases the reader and their deliveries; the address hash stays on the suppression list",
    "so import and the site do not bring them back."
  ].join("\n"),
  positionals: { min: 1, max: 1, missing: "an email address" },
  async run({ positionals }, io) {
    const address = checkAddress(positionals[0]);
    if (!address.ok) throw new UsageError(address.reason);
    return withApp(io, async (app) => {
      const store = await app.subscribers();
      const s = await store.byEmail(address.normalized);
      if (!s) {
        const suppressed = await store.suppression(addressHash(address.normalized));
        io.err(suppressed ? `${address.email} is not on the list (its hash is on the suppression list: ${suppressed.reason})` : `${address.email} is not on the list; nothing to remove`);
        return 1;
      }
      await store.suppress(addressHash(address.normalized), "operator", io.now().getTime());
      await store.remove(s.id);
      io.out(`removed ${s.email} (was ${s.status}): erased with their deliveries; the address hash stays on the suppression list`);
      return 0;
    });
  }
};
var remove_default = remove;
export {
  remove_default as default
};
//# sourceMappingURL=remove.js.map
