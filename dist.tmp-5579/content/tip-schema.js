// ../../work/wt/h-studio/src/content/tip-schema.ts
import { z } from "zod";
var tipFields = [
  "title",
  "week",
  "subject",
  "preheader",
  "tonight",
  "sources",
  "draft",
  "reviewed",
  "reviewed_by",
  "next_review"
];
var PREHEADER_MAX = 150;
var SOURCE_URL_MESSAGE = "must be an https:// address, e.g. https://www.nhs.uk/conditions/leg-cramps/";
var httpsUrl = z.string({ error: SOURCE_URL_MESSAGE }).refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === "https:" && u.hostname.includes(".");
  } catch {
    return false;
  }
}, SOURCE_URL_MESSAGE);
var source = z.object(
  {
    title: z.string({ error: "is required: the name of the source" }).trim().min(1, "must not be empty"),
    url: httpsUrl
  },
  { error: "must be a {title, url} pair" }
);
var isoDate = z.union([z.date(), z.string().regex(/^\d{4}-\d{2}-\d{2}$/)], {
  error: "must be a date like 2026-11-28"
}).refine(
  (d) => d instanceof Date ? !Number.isNaN(d.getTime()) : !Number.isNaN(Date.parse(`${d}T00:00:00Z`)),
  "must be a real date like 2026-11-28"
);
var tipFrontMatter = z.object({
  title: z.string({ error: "is required: the tip's headline" }).trim().min(1, "must not be empty"),
  week: z.number({ error: "must be a positive integer" }).int("must be a positive integer").positive("must be a positive integer"),
  subject: z.string({ error: "must be text" }).trim().min(1, "must not be empty").optional(),
  preheader: z.string({ error: "must be text" }).trim().max(PREHEADER_MAX, `must be at most ${PREHEADER_MAX} characters (inbox previews cut the rest)`).optional(),
  tonight: z.string({ error: "must be text" }).trim().min(1, "must not be empty").optional(),
  sources: z.array(source, { error: "must list at least one source as {title, url}" }).min(1, "must list at least one source as {title, url}"),
  draft: z.boolean({ error: "must be true or false" }).default(false),
  // Left empty (`reviewed:`) by `newsletter new`: YAML reads that as null, the same as absent.
  reviewed: isoDate.nullish(),
  reviewed_by: z.string({ error: 'must be text: the name and role of the person who checked the tip, e.g. "Dr Ann Lee, GP"' }).trim().min(1, "must not be empty").nullish(),
  next_review: isoDate.nullish()
});
export {
  PREHEADER_MAX,
  isoDate,
  tipFields,
  tipFrontMatter
};
//# sourceMappingURL=tip-schema.js.map
