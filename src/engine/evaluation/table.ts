/** Plain-text tables for the CLI: one row per method, metric columns per level and cohort. */
import { DEFAULT_ENGINE_OPTIONS } from "../core/options"
import { PairedComparison } from "./paired"
import { Cohort, EvaluationResult, EvaluationRow, Level } from "./evaluate"

function fmt(x: number): string {
  return x.toFixed(4)
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`
}

/** Which split was evaluated: numbers from a dev run must not be read as test numbers. */
export function formatSplit(result: EvaluationResult): string {
  if (result.split === "test") return "split: test (each customer's last active period is the test)"
  const d = result.devSplit
  return (
    "split: dev (each customer's last active period removed; the test period was not read)" +
    (d ? `: ${d.removedEvents} events, ${d.removedCustomers} one-period customers, ${d.removedProducts} products removed` : "")
  )
}

/** How much of the product-level test any behaviour-based method could know. */
export function formatReachability(result: EvaluationResult): string {
  const r = result.reachability
  return (
    `product-level reachability (${r.pairs} customer-product pairs): ${percent(r.own)} of test items are the customer's own earlier items, ` +
    `${percent(r.others)} were seen by other customers, ${percent(r.unseen)} had no earlier event at all; ` +
    `ranking exactly the own ones first would give NDCG@${r.k} ${fmt(r.ownOracleNdcg)}`
  )
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length)
}

/**
 * One table per (level, k): rows = methods, columns = NDCG / HR / MRR / recall /
 * precision / F1 for all, cold, warm.
 */
export function formatEvaluationTable(result: EvaluationResult): string {
  const lines: string[] = [formatSplit(result)]
  const levels: Level[] = ["category", "product"]
  const cohorts: Cohort[] = ["all", "cold", "warm"]
  const ks = [...new Set(result.results.map((r) => r.k))].sort((a, b) => a - b)
  const methods = [...new Set(result.results.map((r) => r.method))]
  const metrics: (keyof Pick<EvaluationRow, "ndcg" | "hr" | "mrr" | "recall" | "precision" | "f1">)[] = [
    "ndcg",
    "hr",
    "mrr",
    "recall",
    "precision",
    "f1",
  ]
  for (const level of levels) {
    for (const k of ks) {
      lines.push("")
      lines.push(
        `${level} level, k=${k}  (customers: all ${result.customers.all}, cold ${result.customers.cold}, warm ${result.customers.warm})`
      )
      const header = [pad("method", 17)]
      for (const c of cohorts) for (const m of metrics) header.push(pad(`${m}@${c}`, 14))
      lines.push(header.join(" "))
      for (const method of methods) {
        const row = [pad(method, 17)]
        for (const c of cohorts) {
          const r = result.results.find((x) => x.method === method && x.level === level && x.cohort === c && x.k === k)
          for (const m of metrics) row.push(pad(r ? fmt(r[m]) : "-", 14))
        }
        lines.push(row.join(" "))
      }
    }
  }
  lines.push("")
  const lstm = result.report.lstm
  lines.push(
    `training ${(result.trainingMs / 1000).toFixed(1)} s, ranking ${(result.evaluationMs / 1000).toFixed(1)} s, ` +
      `peak memory ${result.peakRssMb} MB, backend ${result.backend}` +
      (lstm.used ? `, LSTM ${lstm.samples} windows / ${lstm.epochs} epochs` : `, LSTM not used (${lstm.reason})`)
  )
  result.report.fineTune?.forEach((ft, f) => {
    lines.push(
      `fine-tune, fold ${f} (recent window, ${ft.recentSamples} windows): LSTM-only validation NDCG ${fmt(ft.before)} -> ${fmt(ft.after)} ` +
        `(${ft.kept ? "kept" : "discarded"})`
    )
  })
  return lines.join("\n")
}

/** The short comparison: NDCG category@kc and product@kp for every method and cohort. */
export function formatSummary(
  result: EvaluationResult,
  kCategory = DEFAULT_ENGINE_OPTIONS.fitK.category,
  kProduct = DEFAULT_ENGINE_OPTIONS.fitK.product
): string {
  const methods = [...new Set(result.results.map((r) => r.method))]
  const get = (m: string, l: Level, c: Cohort, k: number): string => {
    const r = result.results.find((x) => x.method === m && x.level === l && x.cohort === c && x.k === k)
    return r ? fmt(r.ndcg) : "-"
  }
  const lines = [
    formatSplit(result),
    `${pad("NDCG", 17)} ${pad(`cat@${kCategory} all`, 13)} ${pad("cold", 8)} ${pad("warm", 8)} ${pad(`prod@${kProduct} all`, 13)} ${pad("cold", 8)} ${pad("warm", 8)}`,
  ]
  for (const m of methods) {
    lines.push(
      `${pad(m, 17)} ${pad(get(m, "category", "all", kCategory), 13)} ${pad(get(m, "category", "cold", kCategory), 8)} ${pad(
        get(m, "category", "warm", kCategory),
        8
      )} ${pad(get(m, "product", "all", kProduct), 13)} ${pad(get(m, "product", "cold", kProduct), 8)} ${pad(
        get(m, "product", "warm", kProduct),
        8
      )}`
    )
  }
  return lines.join("\n")
}

const BASELINE_METHODS = ["best_baseline", "popularity", "repeat", "markov", "item_knn"]

const signed = (x: number): string => `${x >= 0 ? "+" : ""}${x.toFixed(4)}`
const ci = (c: PairedComparison): string => `SE ${c.se.toFixed(4)}, 95% CI [${c.ci95[0].toFixed(4)}, ${c.ci95[1].toFixed(4)}]`

/**
 * Footer, per level and k: the model against the strongest baseline on the test
 * (ratio, paired difference, bootstrap 95% interval over customers; "beats" only
 * when the interval lies above 0), what each ablated feature family adds, and the
 * model's validation-vs-test gap.
 */
export function formatComparisons(result: EvaluationResult): string[] {
  const lines: string[] = []
  const ndcg = (m: string, level: Level, k: number): number =>
    result.results.find((r) => r.method === m && r.level === level && r.cohort === "all" && r.k === k)?.ndcg ?? NaN
  const levels = [...new Set(result.comparisons.map((c) => `${c.level}|${c.k}`))]
  for (const key of levels) {
    const [level, kRaw] = key.split("|") as [Level, string]
    const k = Number(kRaw)
    const here = result.comparisons.filter((c) => c.level === level && c.k === k)
    const strongest = here.filter((c) => BASELINE_METHODS.includes(c.versus)).sort((a, b) => a.diff - b.diff)[0]
    if (strongest) {
      const verdict = strongest.ci95[0] > 0 ? "beats" : strongest.ci95[1] < 0 ? "LOSES to" : "ties (within noise)"
      const ratio = ndcg("model", level, k) / ndcg(strongest.versus, level, k)
      lines.push(
        `model vs strongest baseline ${strongest.versus}, ${level}@${k}: ${fmt(ndcg("model", level, k))} vs ${fmt(ndcg(strongest.versus, level, k))} ` +
          `= ${ratio.toFixed(3)}x, ${signed(strongest.diff)} (${ci(strongest)}, ${strongest.wins} better / ${strongest.losses} worse of ${strongest.customers}): ${verdict}`
      )
    }
    const ablations = here.filter((c) => c.versus.startsWith("without_"))
    if (ablations.length) {
      lines.push(
        `  what each feature family adds, ${level}@${k}: ` +
          ablations.map((c) => `${c.versus.slice("without_".length)} ${signed(c.diff)} (${ci(c)})`).join("; ")
      )
    }
  }
  for (const g of result.gap) {
    if (!Number.isFinite(g.test)) continue
    lines.push(`validation vs test (model), ${g.level}@${g.k}: ${fmt(g.validation)} -> ${fmt(g.test)} (gap ${signed(g.validation - g.test)})`)
  }
  return lines
}
