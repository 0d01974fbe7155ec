/**
 * Fitting one level of the ranker on training queries: one query per customer
 * and cut-off, its candidates' rows and which of them the target period held.
 * The latest cut-off (0) is the validation set: early stopping picks the number
 * of trees there. The cold-start rule is chosen on every cold query of every
 * cut-off, each scored by a model fitted on the other customer fold (cold
 * queries are few at any one cut-off). Then the model is refitted with that many
 * trees on every cut-off, so the newest behaviour is learnt from too.
 */
import { pairedComparison } from "../evaluation/paired"
import { LambdaMartOptions, LambdaMartReport, RankingSet, fitLambdaMart } from "./lambdamart"
import { ColdStart, LEVEL_FEATURES, Level, LevelRanker, columnScores, modelScores, projectRows } from "./interest-ranker"

export interface Query {
  customer: number
  cutoff: number
  cold: boolean
  /** Full-width rows (LEVEL_FEATURES[level]) of the candidates. */
  x: Float32Array
  /** 1 where the candidate occurred in the target period. */
  y: Uint8Array
  /** Relevant items of the target period, candidates or not (the ideal DCG's size). */
  relevant: number
}

export interface LevelFitReport {
  features: number
  train: { queries: number; rows: number }
  valid: { queries: number; rows: number }
  fit: LambdaMartReport
  refitTrees: number
  /** Mean NDCG@k on every validation query (those without a relevant candidate count 0), before the refit. */
  validation: number
  cold: { rule: ColdStart; queries: number; ndcg: Partial<Record<ColdStart, number>> }
}

/** Minimum cold queries before the ranker may replace popularity for cold customers. */
const MIN_COLD_QUERIES = 30
const COLD_FOLDS = 2
/**
 * Trees when no query is left to stop early on (a shop with a handful of returning
 * customers): about what early stopping kept on the evaluation files (4-59).
 */
const NO_VALIDATION_TREES = 20
/** Every this-many-th customer is held out for early stopping when no later cut-off exists. */
const HOLDOUT_EVERY = 5

/** Fixed scorers that may rank cold customers instead of popularity: popular right now, and (products) popular with newcomers. */
const COLD_COLUMNS: Record<Level, readonly Exclude<ColdStart, "ranker" | "popularity">[]> = {
  category: ["popularity_recent"],
  product: ["popularity_recent", "newcomer"],
}

function toSet(queries: Query[], width: number, cols: number[]): RankingSet {
  let rows = 0
  for (const q of queries) rows += q.y.length
  const x = new Float32Array(rows * cols.length)
  const y = new Float32Array(rows)
  const groups = new Int32Array(queries.length + 1)
  let r = 0
  queries.forEach((q, i) => {
    groups[i] = r
    const px = projectRows(q.x, width, cols)
    x.set(px, r * cols.length)
    for (let j = 0; j < q.y.length; j++) y[r + j] = q.y[j]
    r += q.y.length
  })
  groups[queries.length] = r
  return { x, nFeatures: cols.length, groups, y }
}

/** NDCG@k of one query's candidates ordered by `scores`, over all of its target's relevant items. */
export function queryNdcg(scores: ArrayLike<number>, q: Query, k: number): number {
  const order = Array.from({ length: q.y.length }, (_, j) => j).sort((a, b) => scores[b] - scores[a] || a - b)
  let dcg = 0
  for (let i = 0; i < Math.min(k, order.length); i++) if (q.y[order[i]]) dcg += 1 / Math.log2(i + 2)
  let idcg = 0
  for (let i = 0; i < Math.min(k, q.relevant); i++) idcg += 1 / Math.log2(i + 2)
  return idcg > 0 ? dcg / idcg : 0
}

const hasRelevant = (q: Query): boolean => q.y.some((v) => v > 0)

/**
 * Mean NDCG@k of ordering each validation query's candidates by one feature column
 * (a baseline's signal), popularity breaking ties: what the training report puts
 * next to the ranker's own validation score.
 */
export function columnValidation(level: Level, queries: Query[], column: string, k: number): number {
  const valid = queries.filter((q) => q.cutoff === 0)
  let total = 0
  for (const q of valid) total += queryNdcg(columnScores(level, q.x, column), q, k)
  return valid.length ? total / valid.length : 0
}

/**
 * The cold-start rule: popularity unless a challenger (popular right now, popular
 * with newcomers, or the ranker) measurably helps on the cold queries: the paired bootstrap 95% interval
 * of its gain lies above 0, the bar the evaluation's "beats" uses. With too few
 * cold queries popularity stays.
 */
function chooseCold(
  level: Level,
  coldQueries: Query[],
  rankerScores: Float64Array[],
  k: number,
  seed: number
): LevelFitReport["cold"] {
  const challengers = (COLD_COLUMNS[level] as readonly ColdStart[]).concat("ranker")
  const per = new Map<ColdStart, number[]>([["popularity", coldQueries.map((q) => queryNdcg(columnScores(level, q.x, "popularity"), q, k))]])
  for (const c of challengers) {
    per.set(c, coldQueries.map((q, i) => queryNdcg(c === "ranker" ? rankerScores[i] : columnScores(level, q.x, c), q, k)))
  }
  const mean = (a: number[]): number => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : 0)
  const ndcg: Partial<Record<ColdStart, number>> = {}
  for (const [c, v] of per) ndcg[c] = mean(v)
  let rule: ColdStart = "popularity"
  if (coldQueries.length >= MIN_COLD_QUERIES) {
    // Simplest first: each challenger has to beat the rule that stands so far, the ranker last.
    for (const challenger of challengers) {
      const c = pairedComparison(per.get(challenger) as number[], per.get(rule) as number[], seed)
      if (c.ci95[0] > 0) rule = challenger
    }
  }
  return { rule, queries: coldQueries.length, ndcg }
}

/**
 * No query had a relevant candidate (a new shop, or nobody came back yet): a ranker
 * without trees, so the order is popularity's, for everyone.
 */
function popularityOnly(level: Level, queries: Query[], features: readonly string[], k: number): { ranker: LevelRanker; report: LevelFitReport } {
  const none = { queries: 0, rows: 0 }
  return {
    ranker: { features: [...features], model: { format: "lambdamart/1", nFeatures: features.length, trees: [] }, cold: "popularity" },
    report: {
      features: features.length,
      train: none,
      valid: none,
      fit: { trees: 0, bestIteration: 0, trainNdcg: 0, validNdcg: null, rounds: 0, durationMs: 0 },
      refitTrees: 0,
      validation: columnValidation(level, queries, "popularity", k),
      cold: { rule: "popularity", queries: 0, ndcg: {} },
    },
  }
}

export function fitLevel(
  level: Level,
  queries: Query[],
  features: readonly string[],
  options: Partial<LambdaMartOptions> & {
    k: number
    seed: number
    /** Cross-validation only scores the early-stopped model: no cold rule, no refit. @defaultValue true */
    complete?: boolean
  }
): { ranker: LevelRanker; report: LevelFitReport } {
  const { complete = true, ...lambdaMart } = options
  const all = LEVEL_FEATURES[level]
  const cols = features.map((f) => {
    const i = all.indexOf(f)
    if (i < 0) throw new Error(`Unknown ${level} feature "${f}".`)
    return i
  })
  // Queries without a relevant candidate have no pair to learn from and score 0 whatever the order.
  let isValid = (q: Query): boolean => q.cutoff === 0
  if (!queries.some((q) => q.cutoff > 0 && hasRelevant(q))) {
    // One period per customer only: hold out every HOLDOUT_EVERY-th customer instead of a later cut-off.
    isValid = (q) => q.customer % HOLDOUT_EVERY === 0
  }
  const useful = queries.filter(hasRelevant)
  if (useful.length === 0) return popularityOnly(level, queries, features, options.k)
  let valid = useful.filter(isValid)
  let train = useful.filter((q) => !isValid(q))
  if (train.length === 0) {
    // A handful of customers, all of them held out: learn from them, with no early stopping.
    train = useful
    valid = []
  }
  const trainSet = toSet(train, all.length, cols)
  const validSet = valid.length ? toSet(valid, all.length, cols) : undefined
  const first = fitLambdaMart(trainSet, validSet, validSet ? lambdaMart : { ...lambdaMart, trees: Math.min(lambdaMart.trees ?? NO_VALIDATION_TREES, NO_VALIDATION_TREES) })
  const trees = Math.max(1, first.report.bestIteration)
  const refit = complete ? fitLambdaMart(toSet(useful, all.length, cols), undefined, { ...lambdaMart, trees }) : first

  const validAll = queries.filter(isValid)
  let validation = 0
  for (const q of valid) validation += queryNdcg(modelScores(first.model, level, q.x, cols), q, options.k)
  validation = validAll.length ? validation / validAll.length : 0

  const coldQueries: Query[] = []
  const coldScores: Float64Array[] = []
  const foldOf = (q: Query): number => q.customer % COLD_FOLDS
  for (let f = 0; complete && f < COLD_FOLDS; f++) {
    const test = useful.filter((q) => q.cold && foldOf(q) === f)
    const rest = useful.filter((q) => foldOf(q) !== f)
    if (test.length === 0 || rest.length === 0) continue
    const m = fitLambdaMart(toSet(rest, all.length, cols), undefined, { ...lambdaMart, trees }).model
    for (const q of test) {
      coldQueries.push(q)
      coldScores.push(modelScores(m, level, q.x, cols))
    }
  }
  const cold = chooseCold(level, coldQueries, coldScores, options.k, options.seed)
  return {
    ranker: { features: [...features], model: refit.model, cold: cold.rule },
    report: {
      features: features.length,
      train: { queries: train.length, rows: trainSet.y.length },
      valid: { queries: valid.length, rows: validSet?.y.length ?? 0 },
      fit: first.report,
      refitTrees: refit.model.trees.length,
      validation,
      cold,
    },
  }
}
