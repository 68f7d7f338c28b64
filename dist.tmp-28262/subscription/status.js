// ../../work/wt/h-studio/src/subscription/status.ts
var SUBSCRIBED = ["active", "paused"];
function isSubscribed(status) {
  return SUBSCRIBED.includes(status);
}
var RETURNING = ["unsubscribed", "bounced", "complained"];
export {
  RETURNING,
  SUBSCRIBED,
  isSubscribed
};
//# sourceMappingURL=status.js.map
