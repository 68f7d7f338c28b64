// ../../work/wt/h-studio/src/preview/inbox.ts
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { simpleParser } from "mailparser";
var FILE_NAME = /^[A-Za-z0-9._-]+\.eml$/;
var INBOX_LIMIT = 200;
var Inbox = class {
  constructor(dir) {
    this.dir = dir;
  }
  dir;
  cache = /* @__PURE__ */ new Map();
  async list(limit = INBOX_LIMIT) {
    let names;
    try {
      names = (await readdir(this.dir)).filter((n) => FILE_NAME.test(n));
    } catch {
      return [];
    }
    names.sort().reverse();
    const items = [];
    for (const name of names.slice(0, limit)) {
      const message = await this.read(name);
      if (message) items.push(summary(name, message));
    }
    return items;
  }
  async open(id) {
    if (!FILE_NAME.test(id) || path.basename(id) !== id) return void 0;
    const mail = await this.read(id);
    if (!mail) return void 0;
    return {
      ...summary(id, mail),
      headers: headerLines(mail),
      html: typeof mail.html === "string" ? mail.html : "",
      text: mail.text ?? ""
    };
  }
  async read(name) {
    const file = path.join(this.dir, name);
    try {
      const info = await stat(file);
      const key = `${info.size}:${info.mtimeMs}`;
      const hit = this.cache.get(name);
      if (hit?.key === key) return hit.mail;
      const mail = await simpleParser(await readFile(file));
      if (this.cache.size > INBOX_LIMIT * 2) this.cache.clear();
      this.cache.set(name, { key, mail });
      return mail;
    } catch {
      return void 0;
    }
  }
};
function summary(id, mail) {
  return {
    id,
    date: (mail.date ?? /* @__PURE__ */ new Date(0)).toISOString(),
    from: addressText(mail.from),
    to: addressText(mail.to),
    subject: mail.subject ?? "(no subject)"
  };
}
function addressText(a) {
  if (!a) return "";
  return (Array.isArray(a) ? a : [a]).map((x) => x.text).join(", ");
}
function headerLines(mail) {
  return mail.headerLines.map(({ key, line }) => {
    const name = line.slice(0, line.indexOf(":")).trim() || key;
    const value = mail.headers.get(key);
    return { name, value: value === void 0 ? line.slice(line.indexOf(":") + 1).trim() : headerText(value) };
  });
}
function headerText(value) {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toUTCString();
  if (Array.isArray(value)) return value.map((v) => headerText(v)).join(", ");
  if (typeof value === "object" && value) {
    if ("text" in value && typeof value.text === "string") return value.text;
    if ("value" in value) {
      const params = "params" in value && value.params ? Object.entries(value.params).map(([k, v]) => `; ${k}=${v}`).join("") : "";
      return `${headerText(value.value)}${params}`;
    }
  }
  return String(value);
}
export {
  INBOX_LIMIT,
  Inbox
};
//# sourceMappingURL=inbox.js.map
