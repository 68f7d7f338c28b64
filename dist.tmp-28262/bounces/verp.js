// ../../work/wt/h-studio/src/bounces/verp.ts
import { signShortToken, verifyToken } from "../subscription/tokens.js";
function returnPathFor(bounceAddress, secret, deliveryId, now) {
  return signedReturnPath(bounceAddress, secret, "bounce", deliveryId, now);
}
function systemReturnPathFor(bounceAddress, secret, systemEmailId, now) {
  return signedReturnPath(bounceAddress, secret, "bounce-system", systemEmailId, now);
}
function signedReturnPath(bounceAddress, secret, purpose, id, now) {
  const at = bounceAddress.lastIndexOf("@");
  return `${bounceAddress.slice(0, at)}+${signShortToken(secret, purpose, id.toString(36), now)}${bounceAddress.slice(at)}`;
}
function deliveryOfReturnPath(address, keys, now) {
  const m = /^[^@\s+<>]+\+([^@\s<>]+)@[^@\s<>]+$/i.exec(address.trim().replace(/^<|>$/g, ""));
  if (!m) return void 0;
  let check = verifyToken(keys, m[1], "bounce", now);
  const system = !check.ok && check.reason === "bad-signature" && verifyToken(keys, m[1], "bounce-system", now);
  if (system && (system.ok || system.reason !== "bad-signature")) check = system;
  if (!check.ok)
    return {
      ok: false,
      problem: `return path token ${check.reason === "expired" ? "expired" : "not signed by this newsletter"} (${check.reason})`
    };
  const id = parseInt(check.subject, 36);
  if (!Number.isSafeInteger(id) || id <= 0) return { ok: false, problem: "return path token names no delivery" };
  return system === check ? { ok: true, systemEmailId: id } : { ok: true, deliveryId: id };
}
export {
  deliveryOfReturnPath,
  returnPathFor,
  systemReturnPathFor
};
//# sourceMappingURL=verp.js.map
