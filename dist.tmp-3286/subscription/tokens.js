// ../../work/wt/h-studio/src/subscription/tokens.ts
import { createHmac, timingSafeEqual } from "node:crypto";
var tokenLifetimeDays = {
  confirm: 7,
  // Links in sent emails must keep working for as long as a reader may keep the email.
  unsubscribe: 365,
  preferences: 365,
  // "Did this help?" in a tip: one reader and one tip (subject `publicId:slug`), as long as the tip's other links.
  feedback: 365,
  // The comment box after an anonymous answer on the web: names one answer row, for a day.
  "feedback-web": 1
};
var b64 = (b) => Buffer.from(b).toString("base64url");
function signature(secret, payload) {
  return createHmac("sha256", secret).update(`ncw-token-v1.${payload}`).digest();
}
function signToken(secret, purpose, subject, now) {
  const expires = Math.floor(now.getTime() / 1e3) + tokenLifetimeDays[purpose] * 86400;
  const payload = b64(JSON.stringify({ p: purpose, s: subject, e: expires }));
  return `${payload}.${b64(signature(secret, payload))}`;
}
function keyList(keys) {
  if (typeof keys === "string") return [keys];
  if ("secret" in keys) return [keys.secret, ...keys.previousSecrets ?? []];
  return keys;
}
var shortPurposes = ["bounce", "bounce-system"];
var isShortPurpose = (purpose) => shortPurposes.includes(purpose);
function verifyToken(keys, token, purpose, now) {
  const secrets = keyList(keys);
  return isShortPurpose(purpose) ? verifyShort(secrets, token, purpose, now) : verifyLink(secrets, token, purpose, now);
}
function verifyLink(secrets, token, purpose, now) {
  if (typeof token !== "string" || token.length > 1024) return { ok: false, reason: "malformed" };
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: "malformed" };
  const [payload, sig] = parts;
  const given = Buffer.from(sig, "base64url");
  let matched = false;
  for (const secret of secrets) {
    const expected = signature(secret, payload);
    if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: "bad-signature" };
  let body;
  try {
    body = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof body.s !== "string" || typeof body.e !== "number" || typeof body.p !== "string")
    return { ok: false, reason: "malformed" };
  if (body.p !== purpose) return { ok: false, reason: "wrong-purpose" };
  if (body.e * 1e3 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, subject: body.s, expiresAt: new Date(body.e * 1e3) };
}
var shortTokenLifetimeDays = {
  // Complaints come when a reader presses "spam", which may be months after the email arrived.
  bounce: 365,
  "bounce-system": 365
};
var SHORT_SIG_BYTES = 12;
function signShortToken(secret, purpose, subject, now) {
  if (!/^[a-z0-9]{1,20}$/.test(subject)) throw new Error("a short token subject is 1-20 characters of a-z and 0-9");
  const expiresDay = Math.floor(now.getTime() / 864e5) + shortTokenLifetimeDays[purpose];
  const body = `${subject}-${expiresDay.toString(36)}`;
  return `${body}-${signature(secret, `${purpose}.${body}`).subarray(0, SHORT_SIG_BYTES).toString("hex")}`;
}
function verifyShort(secrets, token, purpose, now) {
  if (typeof token !== "string") return { ok: false, reason: "malformed" };
  const m = /^([a-z0-9]{1,20})-([a-z0-9]{1,8})-([0-9a-f]{24})$/.exec(token.toLowerCase());
  if (!m) return { ok: false, reason: "malformed" };
  const [, subject, expiry, sig] = m;
  const given = Buffer.from(sig, "hex");
  let matched = false;
  for (const secret of secrets) {
    const expected = signature(secret, `${purpose}.${subject}-${expiry}`).subarray(0, SHORT_SIG_BYTES);
    if (timingSafeEqual(given, expected)) matched = true;
  }
  if (!matched) return { ok: false, reason: "bad-signature" };
  const expiresAt = new Date(parseInt(expiry, 36) * 864e5);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, subject, expiresAt };
}
export {
  shortTokenLifetimeDays,
  signShortToken,
  signToken,
  tokenLifetimeDays,
  verifyToken
};
//# sourceMappingURL=tokens.js.map
