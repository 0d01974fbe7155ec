/**
 * Are the experiment statistics honest? Simulated experiments over shoppers
 * (src/engine/experiments/simulate.ts documents the shopper model) analysed by
 * the same functions the admin's results use:
 *   - A/A: both arms the same, so the conversion uplift should be flagged
 *     significant (judged, its 95% interval excluding 0) in about 5% of runs
 *     (the target is at most 7%);
 *   - known uplift: the model arm raises every shopper's purchase probability
 *     by --uplift (default 20%); its interval should cover that value in about
 *     95% of runs (the target is at least 90%).
 *   npm run bench:experiments -- [--runs 200] [--visitors 6000] [--uplift 0.2] [--out FILE]
 * Writes bench/results/experiments.json.
 */
import * as fs from "fs"
import * as path from "path"
import { simulationRates } from "../src/engine/experiments/simulate"

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

function positive(name: string, fallback: number): number {
  const raw = flag(name)
  const value = raw === undefined ? fallback : Number(raw)
  if (!(value > 0)) throw new Error(`--${name} must be a positive number, got ${raw}`)
  return value
}

function main(): void {
  const runs = Math.round(positive("runs", 200))
  const visitors = Math.round(positive("visitors", 6000))
  const uplift = positive("uplift", 0.2)
  const started = Date.now()
  const r = simulationRates(runs, uplift, { visitors })
  const result = {
    aa: { runs: r.runs, false_positive_rate: r.false_positive_rate },
    uplift: { runs: r.runs, true_uplift: r.true_uplift, coverage: r.coverage },
  }
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`
  console.log(`A/A: the conversion uplift is flagged significant in ${pct(r.false_positive_rate)} of ${runs} runs (target <= 7%)`)
  console.log(`known uplift ${pct(uplift)}: the interval covers it in ${pct(r.coverage)} of ${runs} runs (target >= 90%)`)
  console.log(`${visitors} visitors per run, ${((Date.now() - started) / 1000).toFixed(1)} s`)
  const out = flag("out") ?? path.join(__dirname, "..", "..", "..", "..", "bench", "results", "experiments.json")
  fs.mkdirSync(path.dirname(out), { recursive: true })
  fs.writeFileSync(out, JSON.stringify(result, null, 2) + "\n")
  if (r.false_positive_rate > 0.07 || r.coverage < 0.9) {
    console.error("The statistics missed their target.")
    process.exitCode = 1
  }
}

main()
