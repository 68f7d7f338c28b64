import { describe, expect, it } from 'vitest';
import { addressHash, checkAddress, MAX_ADDRESS_LENGTH } from '../../src/subscription/address.ts';
import { invalidAddresses } from './invalid-addresses.ts';

describe('checkAddress (a browser\'s type=email, plus length limits)', () => {
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
    ['user@localhost'],
    ['x@sub.domain-with-dash.example'],
    ["!#$%&'*+/=?^_`{|}~-@example.org"],
  ])('accepts %s', (address) => {
    const r = checkAddress(address);
    expect(r).toEqual({ ok: true, email: address, normalized: address.toLowerCase() });
  });

  it('keeps the address as typed, trimmed, and normalizes case for uniqueness', () => {
    expect(checkAddress('  Ann@Example.org ')).toEqual({ ok: true, email: 'Ann@Example.org', normalized: 'ann@example.org' });
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
