export { feedbackBlock } from './feedback-pages.ts';
export {
  buildSite,
  startSite,
  defaultLimits,
  type RunningSite,
  type Site,
  type SiteDeps,
  type SiteLimits,
} from './site.ts';
export { liveContent, fixedContent, type ContentSource, type PublicContent } from './public/content.ts';
