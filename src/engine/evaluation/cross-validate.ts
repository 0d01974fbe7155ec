/**
 * Choosing the ranker's settings: customer-fold cross-validation on the dev split.
 * The training queries of every cut-off are built once; for each variant and fold,
 * the ranker is fitted on the other folds' customers and scored on the held-out
 * customers' validation cut-off (NDCG@k over all of their queries). The dev split's
 * own test period is never read, and the held-out file's test period neither.
 */
import { buildDataset } from "../data/dataset"
import { CatalogProduct, InterestEvent } from "../types"
import { computeEventPeriods } from "../profiles/period-profiles"
import { EngineOptions, RankerOptions, SEED_OFFSETS, resolveEngineOptions } from "../core/options"
import { METHOD_FEATURES, buildTrainingQueries, lastPeriodStart } from "../pipeline/train-model"
import { Query, fitLevel, queryNdcg } from "../ranking/fit-ranker"
import { LEVEL_FEATURES, Level, modelScores } from "../ranking/interest-ranker"
import { SeededRandom } from "../util/random"
import { applyDevSplit } from "./dev-split"

export interface RankerVariant {
  name: string
  ranker?: Partial<RankerOptions>
  /** Features per level (default: the shipped model's). */
  features?: Partial<Record<Level, string[]>>
}

export interface CrossValidationRow {
  variant: string
  level: Level
  k: number
  /** Mean NDCG@k over the held-out customers' validation queries, and its standard error over customers. */
  ndcg: number
  se: number
  customers: number
  /** Paired difference to the first variant over the same held-out customers, and its standard error. */
  diff: number
  diffSe: number
}

const dropping = (dropped: string[]): Record<Level, string[]> => ({
  category: METHOD_FEATURES.model.category.filter((f) => !dropped.includes(f)),
  product: METHOD_FEATURES.model.product.filter((f) => !dropped.includes(f)),
})

/** The settings compared when the defaults were chosen (docs/evaluate.md). */
export const TUNING_VARIANTS: RankerVariant[] = [
  { name: "default" },
  { name: "lr 0.05", ranker: { learningRate: 0.05 } },
  { name: "leaves 7", ranker: { maxLeaves: { category: 7, product: 7 } } },
  { name: "leaves 15", ranker: { maxLeaves: { category: 15, product: 15 } } },
  { name: "leaves 31", ranker: { maxLeaves: { category: 31, product: 31 } } },
  { name: "min leaf 100", ranker: { minLeafRows: 100 } },
  { name: "lr 0.05, leaves 7, min leaf 100", ranker: { learningRate: 0.05, maxLeaves: { category: 7, product: 7 }, minLeafRows: 100 } },
  { name: "baseline features", features: METHOD_FEATURES.best_baseline },
  { name: "without context", features: dropping(["events_log", "active_periods", "idle_hours_log"]) },
  { name: "without popularity now", features: dropping(["popularity_recent", "trend"]) },
  { name: "without newcomer", features: dropping(["newcomer"]) },
  { name: "without category popularity", features: dropping(["category_share", "cat_popularity"]) },
  { name: "without time since", features: dropping(["hours_since_log", "periods_since", "idle_hours_log"]) },
  { name: "without touch order", features: dropping(["events_since_log", "distinct_products"]) },
  { name: "without season", features: dropping(["season", "weekday", "cat_season", "cat_weekday"]) },
  { name: "season at category level only", features: dropping(["cat_season", "cat_weekday"]) },
  {
    name: "category without time since",
    features: { category: METHOD_FEATURES.model.category.filter((f) => !["hours_since_log", "periods_since", "idle_hours_log"].includes(f)) },
  },
]

/** Customer folds of `tune` when none are asked for. */
export const DEFAULT_TUNING_FOLDS = 5

export async function crossValidateRanker(
  events: InterestEvent[],
  catalog: CatalogProduct[],
  engine: Partial<EngineOptions>,
  variants: RankerVariant[] = TUNING_VARIANTS,
  folds = DEFAULT_TUNING_FOLDS,
  onProgress?: (message: string) => void
): Promise<CrossValidationRow[]> {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer >= 2, got ${folds}.`)
  const o = resolveEngineOptions(engine)
  const dev = applyDevSplit(events, catalog, o.period)
  if (dev.events.length === 0) throw new Error(`No events left for the dev split: every customer was active in one ${o.period} only.`)
  const ds = buildDataset(dev.events, dev.catalog)
  const periods = computeEventPeriods(ds, o.period)
  // The dev test period stays unread: cross-validation runs on what precedes it.
  const visibleEnd = lastPeriodStart(ds, periods, ds.customerOffsets.slice(1))
  const tq = await buildTrainingQueries(ds, periods, visibleEnd, o, [], onProgress)
  for (const f of tq.lstm.seq?.folds ?? []) f.model.dispose()
  const rng = new SeededRandom(o.seed + SEED_OFFSETS.tuningFolds)
  const foldOf = Int32Array.from({ length: ds.customerIds.length }, () => rng.int(folds))
  const rows: CrossValidationRow[] = []
  const first: Partial<Record<Level, number[]>> = {}
  for (const v of variants) {
    const ro = { ...o.ranker, ...v.ranker, maxLeaves: { ...o.ranker.maxLeaves, ...v.ranker?.maxLeaves } }
    for (const level of ["category", "product"] as Level[]) {
      const features = v.features?.[level] ?? METHOD_FEATURES.model[level]
      const cols = features.map((f) => LEVEL_FEATURES[level].indexOf(f))
      const k = o.fitK[level]
      const perCustomer: number[] = []
      for (let f = 0; f < folds; f++) {
        const train = tq.queries[level].filter((q) => foldOf[q.customer] !== f)
        const held = tq.queries[level].filter((q: Query) => foldOf[q.customer] === f && q.cutoff === 0)
        if (held.length === 0 || !train.some((q) => q.y.some((y) => y > 0))) continue
        const { ranker } = fitLevel(level, train, features, {
          k,
          seed: o.seed,
          trees: ro.trees,
          learningRate: ro.learningRate,
          maxLeaves: ro.maxLeaves[level],
          minLeafRows: ro.minLeafRows,
          complete: false,
        })
        for (const q of held) {
          perCustomer.push(queryNdcg(modelScores(ranker.model, level, q.x, cols), q, k))
        }
      }
      const base = (first[level] ??= perCustomer)
      const { mean, se } = meanAndSe(perCustomer)
      const d = meanAndSe(perCustomer.map((x, i) => x - base[i]))
      rows.push({ variant: v.name, level, k, ndcg: mean, se, customers: perCustomer.length, diff: d.mean, diffSe: d.se })
      onProgress?.(`${v.name} ${level}@${k}: ${mean.toFixed(4)} (SE ${se.toFixed(4)})`)
    }
  }
  return rows
}

function meanAndSe(a: number[]): { mean: number; se: number } {
  const n = a.length
  const mean = n ? a.reduce((x, y) => x + y, 0) / n : 0
  const sd = n > 1 ? Math.sqrt(a.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1)) : 0
  return { mean, se: n > 0 ? sd / Math.sqrt(n) : 0 }
}
