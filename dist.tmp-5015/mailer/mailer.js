// ../../work/wt/h-studio/src/mailer/mailer.ts
var SendError = class extends Error {
  constructor(kind, response, connection = false, about = {}) {
    super(response);
    this.kind = kind;
    this.response = response;
    this.connection = connection;
    this.about = about;
    this.name = "SendError";
  }
  kind;
  response;
  connection;
  about;
};
export {
  SendError
};
//# sourceMappingURL=mailer.js.map
