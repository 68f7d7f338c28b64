// ../../work/wt/h-studio/src/preview/write-guard.ts
import { randomBytes, timingSafeEqual } from "node:crypto";
var TOKEN_HEADER = "x-studio-token";
function newSessionToken() {
  return randomBytes(24).toString("base64url");
}
function allowWrite(request, reply, token) {
  if (!/^application\/json\b/i.test(request.headers["content-type"] ?? "")) {
    void reply.code(415).send({ ok: false, error: "send JSON from the studio page" });
    return false;
  }
  const origin = request.headers.origin;
  if (!origin || origin !== `http://${request.headers.host}`) {
    void reply.code(403).send({ ok: false, error: "writes are accepted only from the studio page itself" });
    return false;
  }
  const sent = Buffer.from(String(request.headers[TOKEN_HEADER] ?? ""));
  const want = Buffer.from(token);
  if (sent.length !== want.length || !timingSafeEqual(sent, want)) {
    void reply.code(403).send({ ok: false, error: "this page is from an earlier studio run: reload it, then try again" });
    return false;
  }
  return true;
}
export {
  TOKEN_HEADER,
  allowWrite,
  newSessionToken
};
//# sourceMappingURL=write-guard.js.map
