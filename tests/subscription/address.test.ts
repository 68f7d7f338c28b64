import { describe, expect, it } from 'vitest';
import { addressHash, checkAddress, MAX_ADDRESS_LENGTH } from '../../src/subscription/address.ts';
import { invalidAddresses } from './invalid-addresses.ts';

describe('checkAddress (RFC 5321/5322 dot-atom local part, IDNA domain, length limits)', () => {
  it('has at least 25 invalid cases to check', () => {
    expect(invalidAddresses.length).toBeGreaterThanOrEqual(25);
  });

  it.each(invalidAddresses.map((a) => [JSON.stringify(a), a]))('refuses %s', (_label, address) => {
    const r = checkAddress(address);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(10);
  });

  it.each([
    ['reader@example.org'],
    ['Ann.Reader+tips@Example.ORG'],
    ["o'brien@example.ie"],
    ['x@sub.domain-with-dash.example'],
    ["!#$%&'*+/=?^_`{|}~-@example.org"],
  ])('accepts %s', (address) => {
    const r = checkAddress(address);
    expect(r).toEqual({
      ok: true,
      email: address,
      normalized: address.toLowerCase(),
      ascii: address.replace(/@.*/, (d) => d.toLowerCase()),
    });
  });

  it('keeps the address as typed, trimmed, and normalizes case for uniqueness', () => {
    expect(checkAddress('  Ann@Example.org ')).toEqual({
      ok: true,
      email: 'Ann@Example.org',
      normalized: 'ann@example.org',
      ascii: 'Ann@example.org',
    });
  });

  it('accepts an international domain as typed and keys it by its IDNA (punycode) form', () => {
    const unicode = checkAddress('Leser@Bücher.de');
    expect(unicode).toEqual({
      ok: true,
      email: 'Leser@Bücher.de',
      normalized: 'leser@xn--bcher-kva.de',
      ascii: 'Leser@xn--bcher-kva.de',
    });
    const punycode = checkAddress('leser@xn--bcher-kva.de');
    expect(punycode.ok && punycode.normalized).toBe('leser@xn--bcher-kva.de');
    expect(addressHash('leser@bücher.de')).toBe(addressHash('LESER@xn--bcher-kva.de'));
    expect(checkAddress('reader@exämple.org').ok).toBe(true);
  });

  it.each([
    ['.user@example.org', /start or end with a dot/],
    ['user.@example.org', /start or end with a dot/],
    ['us..er@example.org', /two dots in a row/],
    ['user@localhost', /not a domain on the Internet/],
    ['"john doe"@example.org', /Quoted addresses/],
    ['rëader@example.org', /does not look like an email address/],
  ])('explains why %s is refused', (address, reason) => {
    const r = checkAddress(address);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('counts the length limit on the ASCII form that goes on the wire', () => {
    const label = 'ü'.repeat(40); // 40 characters, 46 in ASCII (xn--…)
    const r = checkAddress(`a@${label}.de`);
    expect(r.ok).toBe(true);
    const tooLong = checkAddress(`a@${Array.from({ length: 6 }, () => label).join('.')}.de`);
    expect(tooLong.ok).toBe(false);
  });

  it('names the line break in a header injection attempt', () => {
    const r = checkAddress('a@b.c\r\nBcc: x@y.z');
    expect(r).toEqual({ ok: false, reason: 'An email address cannot contain line breaks.' });
  });

  it('accepts exactly the length limit and refuses one more', () => {
    const local = 'a'.repeat(64);
    const domainOf = (n: number) => {
      const labels: string[] = [];
      let left = n;
      while (left > 0) {
        const len = Math.min(63, left);
        labels.push('b'.repeat(len));
        left -= len + 1;
      }
      return labels.join('.');
    };
    const atLimit = `${local}@${domainOf(MAX_ADDRESS_LENGTH - 65)}`;
    expect(atLimit.length).toBe(MAX_ADDRESS_LENGTH);
    expect(checkAddress(atLimit).ok).toBe(true);
    const over = `${local}@${domainOf(MAX_ADDRESS_LENGTH - 64)}`;
    expect(over.length).toBe(MAX_ADDRESS_LENGTH + 1);
    expect(checkAddress(over).ok).toBe(false);
  });

  it('hashes the normalized address (sha256 hex), so case does not matter', () => {
    expect(addressHash('Ann@Example.org')).toBe(addressHash('ann@example.org'));
    expect(addressHash('ann@example.org')).toMatch(/^[0-9a-f]{64}$/);
    expect(addressHash('ann@example.org')).not.toBe(addressHash('bob@example.org'));
  });
});
