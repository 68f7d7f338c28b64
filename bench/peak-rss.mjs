// Preloaded (`node --import`) into a process the benchmark measures: at exit it writes the
// process's peak resident set (main thread and workers together) to BENCH_PEAK_RSS_FILE, so the
// real `newsletter` command is measured as operators run it, with nothing of the benchmark inside.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file)
  process.on('exit', () => writeFileSync(file, JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 })));
