import { mixSeed, Rng, sampleCumulative } from "../prng"

describe("Rng", () => {
  it("repeats its sequence for a seed and stays in [0, 1)", () => {
    const a = new Rng(7)
    const b = new Rng(7)
    const xs = Array.from({ length: 1000 }, () => a.next())
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()))
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    expect(new Rng(8).next()).not.toBe(new Rng(7).next())
  })

  it("mixes seeds into distinct streams", () => {
    expect(mixSeed(1, 2)).not.toBe(mixSeed(1, 3))
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2))
  })

  it("samples roughly in proportion to weights", () => {
    const rng = new Rng(3)
    const counts = [0, 0, 0]
    for (let i = 0; i < 30000; i++) counts[rng.weighted([1, 2, 7])]++
    expect(counts[2] / 30000).toBeCloseTo(0.7, 1)
    const cum = [1, 3, 10]
    const c2 = [0, 0, 0]
    for (let i = 0; i < 30000; i++) c2[sampleCumulative(rng, cum)]++
    expect(c2[1] / 30000).toBeCloseTo(0.2, 1)
  })

  it("draws Dirichlet vectors that sum to one and Poisson counts with the right mean", () => {
    const rng = new Rng(5)
    const d = rng.dirichlet(10, 0.3)
    expect(d.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9)
    let sum = 0
    for (let i = 0; i < 20000; i++) sum += rng.poisson(4)
    expect(sum / 20000).toBeCloseTo(4, 1)
  })
})
