export { TemplateError } from '../errors.ts';
