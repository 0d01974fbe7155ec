import { hitRate, ndcg, rankingMetrics, reciprocalRank } from "../metrics"

describe("ranking metrics (hand-computed)", () => {
  // ranked [a=1, b=2, c=3, d=4, e=5]; relevant {2, 5, 9}
  const ranked = [1, 2, 3, 4, 5]
  const relevant = new Set([2, 5, 9])

  it("NDCG@5: hits at ranks 2 and 5", () => {
    const dcg = 1 / Math.log2(3) + 1 / Math.log2(6) // 0.63093 + 0.38685
    const idcg = 1 + 1 / Math.log2(3) + 1 / Math.log2(4) // 3 relevant: 1 + 0.63093 + 0.5
    expect(ndcg(ranked, relevant, 5)).toBeCloseTo(dcg / idcg, 10)
    expect(ndcg(ranked, relevant, 5)).toBeCloseTo(0.47767, 4)
  })

  it("NDCG@1 is 0 when the first item misses, 1 for a perfect list", () => {
    expect(ndcg(ranked, relevant, 1)).toBe(0)
    expect(ndcg([9, 2, 5], relevant, 3)).toBeCloseTo(1, 12)
  })

  it("HR and MRR", () => {
    expect(hitRate(ranked, relevant, 1)).toBe(0)
    expect(hitRate(ranked, relevant, 2)).toBe(1)
    expect(reciprocalRank(ranked, relevant, 5)).toBe(0.5)
    expect(reciprocalRank(ranked, relevant, 1)).toBe(0)
  })

  it("recall, precision and F1 at 5", () => {
    const m = rankingMetrics(ranked, relevant, 5)
    expect(m.recall).toBeCloseTo(2 / 3, 12)
    expect(m.precision).toBeCloseTo(2 / 5, 12)
    expect(m.f1).toBeCloseTo((2 * 0.4 * (2 / 3)) / (0.4 + 2 / 3), 12) // 0.5
    expect(m.f1).toBeCloseTo(0.5, 12)
  })

  it("an empty relevant set scores 0 everywhere", () => {
    const m = rankingMetrics(ranked, new Set(), 5)
    expect(m).toEqual({ hr: 0, ndcg: 0, mrr: 0, recall: 0, precision: 0, f1: 0 })
  })
})
