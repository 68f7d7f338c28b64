// ../../work/wt/h-studio/src/delivery/claim-lease.ts
import { CLAIM_RENEW_MS } from "./retry-policy.js";
var ClaimLease = class {
  constructor(store, clock, everyMs = CLAIM_RENEW_MS) {
    this.store = store;
    this.clock = clock;
    this.timer = setInterval(() => this.renew(), everyMs);
    this.timer.unref();
  }
  store;
  clock;
  held = /* @__PURE__ */ new Set();
  timer;
  renewing;
  hold(deliveryId) {
    this.held.add(deliveryId);
  }
  release(deliveryId) {
    this.held.delete(deliveryId);
  }
  /** Stops renewing and waits for a renewal under way, so the database can be closed after. */
  async stop() {
    clearInterval(this.timer);
    await this.renewing;
  }
  renew() {
    if (this.renewing || this.held.size === 0) return;
    this.renewing = this.store.renewClaims([...this.held], this.clock()).catch(() => void 0).finally(() => {
      this.renewing = void 0;
    });
  }
};
export {
  ClaimLease
};
//# sourceMappingURL=claim-lease.js.map
