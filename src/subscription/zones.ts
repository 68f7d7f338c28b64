import { IANAZone } from 'luxon';

/** Zone names already checked: luxon's check builds an Intl formatter each time (~0.1 ms), an import asks a million times. */
const zoneChecks = new Map<string, boolean>();

export function isValidZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length > 64) return false;
  let valid = zoneChecks.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    // Bounded: the web form lets strangers send any zone name.
    if (zoneChecks.size >= 2000) zoneChecks.clear();
    zoneChecks.set(zone, valid);
  }
  return valid;
}
