// ../../work/wt/h-studio/src/render/renderer.ts
import { emailEntry } from "./cache-keys.js";
import {
  isCompiledEmail,
  systemInput,
  tipInput
} from "./compiled.js";
import { compileMjml } from "./on-demand.js";
import { fill, recipientValues } from "./personalise.js";
import { TEXT_WIDTH, wrapText } from "./wrap.js";
var Renderer = class {
  constructor(options) {
    this.options = options;
  }
  options;
  memory = /* @__PURE__ */ new Map();
  templates;
  /** The compiled tip; the same object for the same tip content. */
  compileTip(tip) {
    return this.compiled(tipInput(tip));
  }
  compileSystem(kind) {
    return this.compiled(systemInput(kind, this.options.series));
  }
  /** Fills one recipient into a compiled email. No template or MJML work happens here. */
  personalise(email, recipient) {
    const { subject, preheader, html, text } = this.personaliseParts(email, recipient);
    return { subject, preheader, html: joinPart(html), text: joinPart(text) };
  }
  /** The recipient's values for each part, not yet joined: for a mailer that joins them in its own encoding. */
  personaliseParts(email, recipient) {
    const values = recipientValues(recipient);
    const textValues = values.firstTip && values.firstTip.length > TEXT_WIDTH ? { ...values, firstTip: wrapText(values.firstTip) } : values;
    return {
      subject: email.subject,
      preheader: email.preheader,
      html: { fillable: email.html, values, escape: true },
      text: { fillable: email.text, values: textValues, escape: false }
    };
  }
  /**
   * Loads the compiling tools now rather than at the first email. For a caller that knows it
   * will compile: the first email then costs what the others do, as when they loaded on import.
   */
  async prepare() {
    await Promise.all([
      import("./compile-email.js"),
      this.loadTemplates(),
      this.options.mjml ? void 0 : import("./mjml.js")
    ]);
  }
  /** Resolves once the emails compiled so far are written to the disk cache (done in the background). */
  async settled() {
    await this.options.disk?.cache.settled();
  }
  compiled(input) {
    const key = JSON.stringify(input);
    let hit = this.memory.get(key);
    if (!hit) {
      hit = this.fromDiskOrCompile(input);
      this.memory.set(key, hit);
      hit.catch(() => this.memory.delete(key));
    }
    return hit;
  }
  async fromDiskOrCompile(input) {
    const disk = this.options.disk;
    if (!disk) return this.compile(input);
    const name = emailEntry(disk.scope, input);
    const stored = await disk.cache.read(name, isCompiledEmail);
    if (stored) return stored;
    const fresh = await this.compile(input);
    void disk.cache.write(name, fresh);
    return fresh;
  }
  async compile(input) {
    const { series, baseUrl, mjml = compileMjml } = this.options;
    const [{ compileEmail }, templates] = await Promise.all([import("./compile-email.js"), this.loadTemplates()]);
    return compileEmail(input, { templates, mjml, series, baseUrl });
  }
  loadTemplates() {
    const given = this.options.templates;
    if (typeof given !== "function") return Promise.resolve(given);
    this.templates ??= given().catch((e) => {
      this.templates = void 0;
      throw e;
    });
    return this.templates;
  }
};
var joinPart = (part) => fill(part.fillable, part.values, part.escape);
export {
  Renderer
};
//# sourceMappingURL=renderer.js.map
