// ../../work/wt/h-studio/src/cli/command.ts
var UsageError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "UsageError";
  }
};
export {
  UsageError
};
//# sourceMappingURL=command.js.map
