// ../../work/wt/h-studio/src/check/run-checks.ts
import { editorialProblems } from "./editorial.js";
import { urgentWordsOutsideWarnings } from "./urgent-words.js";
import { baseUrlProblems, productionProblems } from "./production-gates.js";
import { loadProject, templateProblem } from "../render/project.js";
import { ProblemsError, sortProblems } from "../problems.js";
import { checkEmailSet } from "../render/email-checks.js";
import { systemEmails } from "../render/index.js";
import { subscriberLinks } from "../subscription/links.js";
var SAMPLE_NAME = "Maximiliana-Theodora Wolfeschlegelsteinhausenberger-Featherstonehaugh";
var SAMPLE_SECRET = "check-sample-secret-not-used-for-real-links-0000";
var LAYOUT_FILE = "templates/layout.mjml.hbs";
async function checkProject(config, now, options = {}) {
  const problems = [];
  const production = options.production ?? config.production;
  if (production) problems.push(...baseUrlProblems(config));
  let project;
  try {
    project = await loadProject(config, options.overrides ? { overrides: options.overrides } : {});
  } catch (e) {
    if (e instanceof ProblemsError)
      return { problems: sortProblems([...problems, ...e.problems]), tipsChecked: 0, systemEmailsChecked: 0 };
    throw e;
  }
  problems.push(...project.problems);
  problems.push(...editorialProblems(project.tips, project.series, now, project.pages));
  problems.push(...urgentWordsOutsideWarnings(project.tips, project.series));
  if (production) problems.push(...await productionProblems(config, project.series));
  const recipientFor = (compiled) => ({
    name: SAMPLE_NAME,
    ...subscriberLinks(config.baseUrl, SAMPLE_SECRET, "sample-reader", now, compiled.slug)
  });
  const rendered = [];
  const render = async (file, label, compile) => {
    try {
      const compiled = await compile(project.renderer);
      rendered.push({ email: project.renderer.personalise(compiled, recipientFor(compiled)), file, label });
      return true;
    } catch (e) {
      problems.push(templateProblem(e));
      return false;
    }
  };
  let tipsChecked = 0;
  for (const tip of project.tips)
    if (await render(tip.file, `week ${tip.week}`, (r) => r.compileTip(tip))) tipsChecked++;
  let systemEmailsChecked = 0;
  for (const kind of systemEmails) {
    if (await render(`templates/${kind}.mjml.hbs`, `${kind} email`, (r) => r.compileSystem(kind)))
      systemEmailsChecked++;
  }
  const report = checkEmailSet(rendered, { baseUrl: config.baseUrl, layoutFile: LAYOUT_FILE });
  problems.push(...report.perEmail.flat(), ...report.sharedProblems);
  return { problems: sortProblems(dedupe(problems)), tipsChecked, systemEmailsChecked };
}
function dedupe(problems) {
  const seen = /* @__PURE__ */ new Set();
  return problems.filter((p) => {
    const key = `${p.severity}|${p.file}|${p.line}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
export {
  checkProject
};
//# sourceMappingURL=run-checks.js.map
