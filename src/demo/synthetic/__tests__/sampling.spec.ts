import { SeededRandom } from "../../../engine/util/random"
import { dirichlet, mixSeed, poisson, sampleCumulative, weighted } from "../sampling"

describe("synthetic sampling", () => {
  it("mixes seeds into distinct streams", () => {
    expect(mixSeed(1, 2)).not.toBe(mixSeed(1, 3))
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2))
  })

  it("samples roughly in proportion to weights", () => {
    const rng = new SeededRandom(3)
    const counts = [0, 0, 0]
    for (let i = 0; i < 30000; i++) counts[weighted(rng, [1, 2, 7])]++
    expect(counts[2] / 30000).toBeCloseTo(0.7, 1)
    const cum = [1, 3, 10]
    const c2 = [0, 0, 0]
    for (let i = 0; i < 30000; i++) c2[sampleCumulative(rng, cum)]++
    expect(c2[1] / 30000).toBeCloseTo(0.2, 1)
  })

  it("draws Dirichlet vectors that sum to one and Poisson counts with the right mean", () => {
    const rng = new SeededRandom(5)
    const d = dirichlet(rng, 10, 0.3)
    expect(d.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9)
    let sum = 0
    for (let i = 0; i < 20000; i++) sum += poisson(rng, 4)
    expect(sum / 20000).toBeCloseTo(4, 1)
  })
})
