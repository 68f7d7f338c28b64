/**
 * Time zones as readers pick them: today's IANA names. Node's ICU still lists (and resolves to)
 * some old names, so a small map from the tz database's `backward` renames turns those into the
 * names people know now (Asia/Calcutta → Asia/Kolkata, Europe/Kiev → Europe/Kyiv). Both names
 * work for the clock; only the shown and stored name changes.
 */
const RENAMED: Readonly<Record<string, string>> = {
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Fort_Wayne': 'America/Indiana/Indianapolis',
  'America/Ensenada': 'America/Tijuana',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Chongqing': 'Asia/Shanghai',
  'Asia/Chungking': 'Asia/Shanghai',
  'Asia/Dacca': 'Asia/Dhaka',
  'Asia/Harbin': 'Asia/Shanghai',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Macao': 'Asia/Macau',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Thimbu': 'Asia/Thimphu',
  'Asia/Ujung_Pandang': 'Asia/Makassar',
  'Asia/Ulan_Bator': 'Asia/Ulaanbaatar',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Europe/Uzhgorod': 'Europe/Kyiv',
  'Europe/Zaporozhye': 'Europe/Kyiv',
  'Europe/Belfast': 'Europe/London',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Yap': 'Pacific/Chuuk',
  'Etc/UTC': 'UTC',
  'Etc/GMT': 'UTC',
  GMT: 'UTC',
};

/** Today's name of a zone (itself when it was never renamed). */
export function canonicalZone(zone: string): string {
  return RENAMED[zone] ?? zone;
}

/** The old names that lead to `zone`, for matching what a browser reports. */
export function aliasesOf(zone: string): string[] {
  return Object.entries(RENAMED)
    .filter(([, to]) => to === zone)
    .map(([from]) => from);
}

export interface ZoneGroup {
  region: string;
  zones: string[];
}

let grouped: ZoneGroup[] | undefined;

/** Every zone this runtime knows, by today's name, grouped by region (UTC first), sorted. */
export function zonesByRegion(): ZoneGroup[] {
  if (grouped) return grouped;
  const names = [...new Set(Intl.supportedValuesOf('timeZone').map(canonicalZone))].filter((z) => z !== 'UTC');
  const regions = new Map<string, string[]>();
  for (const z of names) {
    const region = z.includes('/') ? z.slice(0, z.indexOf('/')) : 'Other';
    regions.set(region, [...(regions.get(region) ?? []), z]);
  }
  grouped = [
    { region: 'UTC', zones: ['UTC'] },
    ...[...regions.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([region, zones]) => ({ region, zones: zones.sort() })),
  ];
  return grouped;
}

/**
 * What a reader typed into the zone box (no JavaScript needed): a zone name or a city, any case,
 * spaces for underscores ("kolkata", "New York", "Europe/Kyiv", "Asia/Calcutta"). Undefined
 * when nothing matches, or when a city name is ambiguous.
 */
export function zoneFromTyped(typed: string): string | undefined {
  const want = typed.trim().replace(/\s+/g, '_').toLowerCase();
  if (!want) return undefined;
  const all = zonesByRegion().flatMap((g) => g.zones);
  const exact =
    all.find((z) => z.toLowerCase() === want) ??
    Object.entries(RENAMED).find(([from]) => from.toLowerCase() === want)?.[1];
  if (exact) return exact;
  const byCity = all.filter((z) => z.slice(z.lastIndexOf('/') + 1).toLowerCase() === want);
  return byCity.length === 1 ? byCity[0] : undefined;
}
