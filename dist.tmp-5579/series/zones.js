// ../../work/wt/h-studio/src/series/zones.ts
var RENAMED = {
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Mendoza": "America/Argentina/Mendoza",
  "America/Coral_Harbour": "America/Atikokan",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Fort_Wayne": "America/Indiana/Indianapolis",
  "America/Ensenada": "America/Tijuana",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Chongqing": "Asia/Shanghai",
  "Asia/Chungking": "Asia/Shanghai",
  "Asia/Dacca": "Asia/Dhaka",
  "Asia/Harbin": "Asia/Shanghai",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Macao": "Asia/Macau",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Asia/Thimbu": "Asia/Thimphu",
  "Asia/Ujung_Pandang": "Asia/Makassar",
  "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Europe/Uzhgorod": "Europe/Kyiv",
  "Europe/Zaporozhye": "Europe/Kyiv",
  "Europe/Belfast": "Europe/London",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Yap": "Pacific/Chuuk",
  "Etc/UTC": "UTC",
  "Etc/GMT": "UTC",
  GMT: "UTC"
};
function canonicalZone(zone) {
  return RENAMED[zone] ?? zone;
}
function aliasesOf(zone) {
  return Object.entries(RENAMED).filter(([, to]) => to === zone).map(([from]) => from);
}
var grouped;
function zonesByRegion() {
  if (grouped) return grouped;
  const names = [...new Set(Intl.supportedValuesOf("timeZone").map(canonicalZone))].filter((z) => z !== "UTC");
  const regions = /* @__PURE__ */ new Map();
  for (const z of names) {
    const region = z.includes("/") ? z.slice(0, z.indexOf("/")) : "Other";
    regions.set(region, [...regions.get(region) ?? [], z]);
  }
  grouped = [
    { region: "UTC", zones: ["UTC"] },
    ...[...regions.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([region, zones]) => ({ region, zones: zones.sort() }))
  ];
  return grouped;
}
function zoneFromTyped(typed) {
  const want = typed.trim().replace(/\s+/g, "_").toLowerCase();
  if (!want) return void 0;
  const all = zonesByRegion().flatMap((g) => g.zones);
  const exact = all.find((z) => z.toLowerCase() === want) ?? Object.entries(RENAMED).find(([from]) => from.toLowerCase() === want)?.[1];
  if (exact) return exact;
  const byCity = all.filter((z) => z.slice(z.lastIndexOf("/") + 1).toLowerCase() === want);
  return byCity.length === 1 ? byCity[0] : void 0;
}
export {
  aliasesOf,
  canonicalZone,
  zoneFromTyped,
  zonesByRegion
};
//# sourceMappingURL=zones.js.map
