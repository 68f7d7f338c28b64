export { Renderer, type RendererOptions } from './renderer.ts';
export {
  systemEmails,
  systemSubjects,
  type CompiledEmail,
  type FinishedEmail,
  type PersonalisedEmail,
  type PersonalisedPart,
  type SystemEmail,
} from './compiled.ts';
export { compileMjml, loadTemplates } from './on-demand.ts';
export type { TemplateSet } from './templates.ts';
export type { MjmlCompiler } from './mjml.ts';
export { TemplateError } from './template-error.ts';
export type { Recipient } from './personalise.ts';
