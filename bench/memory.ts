/**
 * Figure 2 alone: peak RSS and rate of `newsletter send` for the given list sizes.
 *
 *   npx tsx bench/memory.ts 10000 100000
 */
import { benchCliPass } from './cli.ts';

const sizes = process.argv.slice(2).map(Number);
void (async () => {
  for (const n of sizes.length > 0 ? sizes : [10_000]) {
    const r = await benchCliPass(n, 5);
    console.log(`${n} readers: peak RSS ${r.peakRssMb.toFixed(0)} MB, ${r.perSecond.toFixed(0)} messages/s`);
  }
})();
