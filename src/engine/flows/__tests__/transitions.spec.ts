import { fitMarkov } from "../../baselines/markov"
import { ActivePeriod } from "../periods"
import { transitionMatrix } from "../transitions"

const period = (p: number, entries: [number, number][]): ActivePeriod => ({ period: p, vector: new Map(entries) })

/**
 * Three customers over categories 0, 1, 2 (worked out by hand below):
 *   u1: {0}        -> {1}  -> {1, 2} (equal weights)
 *   u2: {0} x2     -> {1} x2
 *   u3: {0, 1}     -> (a quiet period) -> {2} x3   consecutive *active* periods, as the Markov chain
 * Mass from 0: u1 1 to 1; u2 1 to 1; u3 0.5 to 2  -> P(1|0) = 2 / 2.5, P(2|0) = 0.5 / 2.5
 * Mass from 1: u1 0.5 to 1 and 0.5 to 2; u3 0.5 to 2 -> P(1|1) = 0.5 / 1.5, P(2|1) = 1 / 1.5
 * Interest held: 0 -> 2.5, 1 -> 3, 2 -> 1.5, so the order is 1, 0, 2.
 */
const SEQUENCES: ActivePeriod[][] = [
  [period(0, [[0, 1]]), period(1, [[1, 1]]), period(2, [[1, 1], [2, 1]])],
  [period(0, [[0, 2]]), period(1, [[1, 2]])],
  [period(0, [[0, 1], [1, 1]]), period(2, [[2, 3]])],
]

describe("transitionMatrix", () => {
  const m = transitionMatrix(SEQUENCES, { minCustomers: 2 })
  const row = (c: number) => m.rows[m.categories.indexOf(c)]
  const cell = (a: number, b: number) => row(a).cells[m.categories.indexOf(b)]

  it("orders rows and columns by the interest the categories hold", () => {
    expect(m.categories).toEqual([1, 0, 2])
    expect(m.rows.map((r) => r.category)).toEqual([1, 0, 2])
  })

  it("estimates P(next | now) from consecutive active periods", () => {
    expect(cell(0, 1).probability).toBeCloseTo(0.8, 12)
    expect(cell(0, 2).probability).toBeCloseTo(0.2, 12)
    expect(cell(0, 0).probability).toBe(0)
    expect(cell(1, 1).probability).toBeCloseTo(1 / 3, 12)
    expect(cell(1, 2).probability).toBeCloseTo(2 / 3, 12)
    // Nothing follows a period of category 2.
    expect(row(2).cells.every((c) => c.probability === 0)).toBe(true)
    expect(row(2).other).toBe(0)
  })

  it("counts the customers and period pairs behind each cell and row", () => {
    expect([cell(0, 1).customers, cell(0, 1).transitions]).toEqual([2, 2])
    expect([cell(0, 2).customers, cell(0, 2).transitions]).toEqual([1, 1])
    expect([cell(1, 1).customers, cell(1, 1).transitions]).toEqual([1, 1])
    expect([cell(1, 2).customers, cell(1, 2).transitions]).toEqual([2, 2])
    expect([row(0).customers, row(0).transitions]).toEqual([3, 3])
    expect([row(1).customers, row(1).transitions]).toEqual([2, 2])
    expect([row(2).customers, row(2).transitions]).toEqual([0, 0])
  })

  it("marks cells and rows with fewer than minCustomers customers as sparse", () => {
    expect(cell(0, 1).sparse).toBe(false)
    expect(cell(1, 2).sparse).toBe(false)
    expect(cell(0, 2).sparse).toBe(true)
    expect(cell(1, 1).sparse).toBe(true)
    expect(row(0).sparse).toBe(false)
    expect(row(2).sparse).toBe(true)
    expect(transitionMatrix(SEQUENCES).minCustomers).toBe(5)
    expect(transitionMatrix(SEQUENCES).rows.every((r) => r.sparse && r.cells.every((c) => c.sparse))).toBe(true)
  })

  it("is the Markov baseline's estimate with every shopper weighted 1", () => {
    const chain = fitMarkov(SEQUENCES.map((s) => ({ periods: s.map((p) => p.vector), weight: 1 })))
    for (const r of m.rows) {
      const expected = chain.get(r.category) ?? new Map<number, number>()
      r.cells.forEach((c, j) => expect(c.probability).toBeCloseTo(expected.get(m.categories[j]) ?? 0, 12))
    }
  })

  it("keeps the mass that leaves the matrix in `other`", () => {
    const top2 = transitionMatrix(SEQUENCES, { top: 2 })
    expect(top2.categories).toEqual([1, 0])
    const from0 = top2.rows[1]
    // P(1|0) = 0.8 stays in the matrix; the 0.2 to category 2 does not.
    expect(from0.cells.map((c) => c.probability)).toEqual([expect.closeTo(0.8, 12), 0])
    expect(from0.other).toBeCloseTo(0.2, 12)
    for (const r of top2.rows) expect(r.cells.reduce((s, c) => s + c.probability, 0) + r.other).toBeCloseTo(1, 12)
  })

  it("answers an empty matrix for no customers and rejects bad options", () => {
    expect(transitionMatrix([])).toEqual({ categories: [], rows: [], minCustomers: 5 })
    expect(() => transitionMatrix(SEQUENCES, { top: 0 })).toThrow("top must be a positive integer")
    expect(() => transitionMatrix(SEQUENCES, { minCustomers: 1.5 })).toThrow("minCustomers must be a positive integer")
  })
})
