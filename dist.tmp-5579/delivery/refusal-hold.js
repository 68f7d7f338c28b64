// ../../work/wt/h-studio/src/delivery/refusal-hold.ts
var REFUSALS_ALWAYS_TRUSTED = 10;
var MAX_REFUSED_SHARE = 0.1;
var RefusalHold = class {
  held = [];
  hold(refusal) {
    this.held.push(refusal);
  }
  get size() {
    return this.held.length;
  }
  /** What the pass's end does with its refusals, given how it went. */
  verdict(pass) {
    const refused = this.held.length;
    if (pass.aborted) return { bounce: false, why: `the pass stopped early (${pass.aborted})` };
    if (pass.sent === 0) return { bounce: false, why: "the server took no message in this pass" };
    if (refused >= REFUSALS_ALWAYS_TRUSTED && refused > MAX_REFUSED_SHARE * (pass.sent + refused)) {
      return {
        bounce: false,
        why: `${refused} of ${pass.sent + refused} recipients were refused, more than ${MAX_REFUSED_SHARE * 100} %: that points at the server`
      };
    }
    return { bounce: true };
  }
  /** The held refusals, handed out once. */
  take() {
    return this.held.splice(0);
  }
};
export {
  MAX_REFUSED_SHARE,
  REFUSALS_ALWAYS_TRUSTED,
  RefusalHold
};
//# sourceMappingURL=refusal-hold.js.map
