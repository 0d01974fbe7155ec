import { pairedComparison } from "../paired"

describe("pairedComparison", () => {
  it("reports mean difference, standard error, wins and losses by hand", () => {
    // d = [0.5, 0, -0.25, 0.25]: mean 0.125, sd = sqrt(((0.375)^2 + (0.125)^2 + (0.375)^2 + (0.125)^2) / 3)
    const r = pairedComparison([1, 0.5, 0.25, 0.5], [0.5, 0.5, 0.5, 0.25])
    expect(r.diff).toBeCloseTo(0.125)
    const sd = Math.sqrt((2 * 0.375 ** 2 + 2 * 0.125 ** 2) / 3)
    expect(r.se).toBeCloseTo(sd / 2)
    expect([r.wins, r.losses, r.ties, r.customers]).toEqual([2, 1, 1, 4])
    expect(r.ci95[0]).toBeLessThanOrEqual(r.diff)
    expect(r.ci95[1]).toBeGreaterThanOrEqual(r.diff)
  })

  it("puts the bootstrap interval above 0 only for a consistent lead", () => {
    const n = 200
    const base = Array.from({ length: n }, (_, i) => (i % 2 ? 0.4 : 0.6))
    const better = base.map((x, i) => x + (i % 10 === 0 ? 0 : 0.05))
    const noisy = base.map((x, i) => x + (i % 2 ? 0.1 : -0.1))
    expect(pairedComparison(better, base).ci95[0]).toBeGreaterThan(0)
    const r = pairedComparison(noisy, base)
    expect(r.ci95[0]).toBeLessThan(0)
    expect(r.ci95[1]).toBeGreaterThan(0)
    // Seeded: the same input gives the same interval.
    expect(pairedComparison(noisy, base).ci95).toEqual(r.ci95)
  })

  it("rejects lists of different length", () => {
    expect(() => pairedComparison([1], [1, 2])).toThrow(/same customers/)
  })
})
