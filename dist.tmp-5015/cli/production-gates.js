// ../../work/wt/h-studio/src/cli/production-gates.ts
import { productionGates } from "../check/production-gates.js";
import { formatProblem } from "../problems.js";
async function refusedByProductionGates(config, series, err, command) {
  if (!config.production) return false;
  const problems = await productionGates(config, series);
  if (!problems.length) return false;
  for (const p of problems) err(formatProblem(p));
  err(
    `NODE_ENV=production: \`newsletter ${command}\` sends nothing while \`newsletter check --production\` fails; fix the ${problems.length === 1 ? "problem" : `${problems.length} problems`} above, then run it again`
  );
  return true;
}
export {
  refusedByProductionGates
};
//# sourceMappingURL=production-gates.js.map
