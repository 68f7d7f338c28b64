/** A log line with every email address masked: long-running services log no reader's address. */
export function withoutAddresses(text: string): string {
  return text.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '<address>');
}

/** An address as logs may show it: only the domain (`***@example.org`), for deliverability by provider. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '***' : `***@${address.slice(at + 1).toLowerCase()}`;
}
