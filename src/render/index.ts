export { Renderer, systemEmails, systemSubjects, type CompiledEmail, type FinishedEmail, type SystemEmail } from './renderer.ts';
export { loadTemplates, type TemplateSet } from './templates.ts';
export { compileMjml, type MjmlCompiler } from './mjml.ts';
export { TemplateError } from './template-error.ts';
export type { Recipient } from './personalise.ts';
