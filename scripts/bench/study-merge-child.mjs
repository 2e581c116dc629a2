// Runs one study:summary merge and prints its time and this process's peak memory as JSON
// (spawned by scripts/bench-study.mjs so the generator's memory does not count).
import { summariseStudy } from '../lib/study-merge.mjs';

const o = JSON.parse(process.argv[2]);
let heapPeak = 0;
const timer = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 100);
const r = await summariseStudy(o);
clearInterval(timer);
heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
const effect = r.effects.find((e) => e.estimand === 'excursion_effect') ?? {};
console.log(
  JSON.stringify({
    files: r.files.length,
    participants: r.participants.length,
    decisionPoints: r.counts?.rows ?? 0,
    readMs: r.timing.readMs,
    totalMs: r.timing.totalMs,
    phases: r.timing.phases,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapMb: heapPeak / 2 ** 20,
    effect: { estimate: effect.estimate, ci_low: effect.ci_low, ci_high: effect.ci_high },
  }),
);
