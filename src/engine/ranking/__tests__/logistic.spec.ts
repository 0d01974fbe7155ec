import { fitLogistic, logit, solveLinear } from "../logistic"
import { SeededRandom } from "../../util/random"

describe("solveLinear", () => {
  it("solves a small system", () => {
    // 2x + y = 5, x + 3y = 10 -> x = 1, y = 3
    const x = solveLinear(
      [
        [2, 1],
        [1, 3],
      ],
      [5, 10]
    )
    expect(x[0]).toBeCloseTo(1)
    expect(x[1]).toBeCloseTo(3)
  })
})

describe("fitLogistic", () => {
  it("recovers the weights that generated the labels", () => {
    const rng = new SeededRandom(3)
    const rows: Float64Array[] = []
    const labels: number[] = []
    for (let i = 0; i < 20000; i++) {
      const a = rng.next()
      const b = rng.next()
      rows.push(Float64Array.from([a, b]))
      labels.push(rng.next() < 1 / (1 + Math.exp(-(3 * a - 2 * b - 0.5))) ? 1 : 0)
    }
    const m = fitLogistic(rows, labels, { l2: 0.01 })
    expect(m.weights[0]).toBeCloseTo(3, 0)
    expect(m.weights[1]).toBeCloseTo(-2, 0)
    expect(m.weights[2]).toBeCloseTo(-0.5, 0)
    expect(logit(m, [1, 0])).toBeGreaterThan(logit(m, [0, 1]))
  })

  it("stays finite on separable data and with a constant column", () => {
    const rows = [0, 0, 1, 1].map((x) => Float64Array.from([x, 0]))
    const m = fitLogistic(rows, [0, 0, 1, 1], { l2: 0.1 })
    expect(m.weights.every(Number.isFinite)).toBe(true)
    expect(m.weights[0]).toBeGreaterThan(0)
    expect(m.weights[1]).toBe(0)
  })
})
