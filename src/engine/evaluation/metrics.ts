/**
 * Top-k ranking metrics with binary relevance. `ranked` is the model's list
 * (best first, at least k long when the catalogue allows), `relevant` the set of
 * items the customer actually touched in the test period.
 */

export interface RankingMetrics {
  hr: number
  ndcg: number
  mrr: number
  recall: number
  precision: number
  f1: number
}

/** HR@k = 1 if any of the first k items is relevant, else 0. */
export function hitRate(ranked: ArrayLike<number>, relevant: Set<number>, k: number): number {
  const n = Math.min(k, ranked.length)
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i])) return 1
  return 0
}

/**
 * NDCG@k = DCG@k / IDCG@k, with
 *   DCG@k  = sum_{i=1..k} rel_i / log2(i + 1)
 *   IDCG@k = sum_{i=1..min(k, |relevant|)} 1 / log2(i + 1)
 */
export function ndcg(ranked: ArrayLike<number>, relevant: Set<number>, k: number): number {
  if (relevant.size === 0) return 0
  const n = Math.min(k, ranked.length)
  let dcg = 0
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i])) dcg += 1 / Math.log2(i + 2)
  let idcg = 0
  for (let i = 0; i < Math.min(k, relevant.size); i++) idcg += 1 / Math.log2(i + 2)
  return dcg / idcg
}

/** MRR@k = 1 / rank of the first relevant item within the first k, else 0. */
export function reciprocalRank(ranked: ArrayLike<number>, relevant: Set<number>, k: number): number {
  const n = Math.min(k, ranked.length)
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i])) return 1 / (i + 1)
  return 0
}

/** Number of relevant items among the first k. */
export function hits(ranked: ArrayLike<number>, relevant: Set<number>, k: number): number {
  const n = Math.min(k, ranked.length)
  let h = 0
  for (let i = 0; i < n; i++) if (relevant.has(ranked[i])) h++
  return h
}

/**
 * recall@k = hits / |relevant|; precision@k = hits / k;
 * F1 = 2 P R / (P + R) (0 when both are 0).
 */
export function rankingMetrics(ranked: ArrayLike<number>, relevant: Set<number>, k: number): RankingMetrics {
  const h = hits(ranked, relevant, k)
  const recall = relevant.size > 0 ? h / relevant.size : 0
  const precision = h / k
  return {
    hr: hitRate(ranked, relevant, k),
    ndcg: ndcg(ranked, relevant, k),
    mrr: reciprocalRank(ranked, relevant, k),
    recall,
    precision,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
  }
}

/** Running mean of metrics over customers. */
export class MetricAccumulator {
  private sums: RankingMetrics = { hr: 0, ndcg: 0, mrr: 0, recall: 0, precision: 0, f1: 0 }
  count = 0

  add(m: RankingMetrics): void {
    this.count++
    for (const key of Object.keys(this.sums) as (keyof RankingMetrics)[]) this.sums[key] += m[key]
  }

  mean(): RankingMetrics {
    const out = { ...this.sums }
    for (const key of Object.keys(out) as (keyof RankingMetrics)[]) out[key] = this.count ? out[key] / this.count : 0
    return out
  }
}
