// One-off runner: `npx tsx bench/mem-figure.ts 10000 100000` prints figure 2 for those sizes.
import { benchCliPass } from './cli.ts';

const sizes = process.argv.slice(2).map(Number);
void (async () => {
  for (const n of sizes.length ? sizes : [10_000]) console.log(JSON.stringify(await benchCliPass(n, 5)));
})();
