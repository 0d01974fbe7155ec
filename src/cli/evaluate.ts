import * as fs from "fs"
import { DEFAULT_ENGINE_OPTIONS } from "../engine/core/options"
import { DEFAULT_KS, evaluateOnEvents } from "../engine/evaluation/evaluate"
import { isSplit } from "../engine/evaluation/dev-split"
import { formatComparisons, formatEvaluationTable, formatReachability, formatSummary } from "../engine/evaluation/table"
import { ParsedArgs, optionalFlag, requireFlag } from "./args"
import { loadEventsFile, parsePeriod } from "./load-events"
import { sequenceFlags } from "./sequence-flags"

export async function runEvaluate(flags: ParsedArgs["flags"]): Promise<void> {
  const file = requireFlag(flags, "events", "medusa-interest evaluate --events FILE.csv")
  const period = parsePeriod(optionalFlag(flags, "period"), "week")
  const kRaw = optionalFlag(flags, "k") ?? DEFAULT_KS.join(",")
  const ks = kRaw.split(",").map((x) => Number(x.trim()))
  if (ks.some((k) => !Number.isInteger(k) || k <= 0)) throw new Error(`--k must be positive integers separated by commas, got "${kRaw}".`)
  const split = optionalFlag(flags, "split") ?? "test"
  if (!isSplit(split)) throw new Error(`--split must be test or dev, got "${split}".`)
  const out = optionalFlag(flags, "json")
  const sequence = sequenceFlags(flags)
  const verbose = flags.verbose === true
  const { events, catalog } = loadEventsFile(file)
  process.stderr.write(`read ${events.length} events, ${catalog.length} products\n`)
  const result = await evaluateOnEvents(
    events,
    catalog,
    { ks, split, engine: { period, sequence, seasons: { enabled: flags.seasons === true } } },
    verbose ? (m) => process.stderr.write(m + "\n") : undefined
  )
  process.stdout.write(formatEvaluationTable(result) + "\n\n")
  const { category, product } = DEFAULT_ENGINE_OPTIONS.fitK
  process.stdout.write(formatSummary(result, ks.includes(category) ? category : ks[0], ks.includes(product) ? product : ks[ks.length - 1]) + "\n")
  process.stdout.write(formatComparisons(result).join("\n") + "\n")
  process.stdout.write(formatReachability(result) + "\n")
  if (out) {
    const json = {
      split: result.split,
      ...(result.devSplit ? { devSplit: result.devSplit } : {}),
      results: result.results.map((r) => ({
        method: r.method,
        level: r.level,
        cohort: r.cohort,
        k: r.k,
        hr: r.hr,
        ndcg: r.ndcg,
        mrr: r.mrr,
        recall: r.recall,
        precision: r.precision,
        f1: r.f1,
        customers: r.customers,
      })),
      customers: result.customers,
      trainingMs: result.trainingMs,
      evaluationMs: result.evaluationMs,
      peakRssMb: result.peakRssMb,
      backend: result.backend,
      report: result.report,
      gap: result.gap,
      comparisons: result.comparisons,
      reachability: result.reachability,
    }
    fs.writeFileSync(out, JSON.stringify(json, null, 2))
    process.stderr.write(`wrote ${out}\n`)
  }
}
