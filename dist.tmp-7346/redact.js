// ../../work/wt/h-studio/src/redact.ts
function withoutAddresses(text) {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, "<address>");
}
function maskAddress(address) {
  const at = address.lastIndexOf("@");
  return at < 0 ? "***" : `***@${address.slice(at + 1).toLowerCase()}`;
}
export {
  maskAddress,
  withoutAddresses
};
//# sourceMappingURL=redact.js.map
