import { SeededRandom } from "../random"

describe("SeededRandom", () => {
  it("repeats its sequence for a seed and stays in [0, 1)", () => {
    const a = new SeededRandom(7)
    const b = new SeededRandom(7)
    const xs = Array.from({ length: 1000 }, () => a.next())
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()))
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...xs)).toBeLessThan(1)
    expect(new SeededRandom(8).next()).not.toBe(new SeededRandom(7).next())
  })

  it("keeps the stream trained models and evaluations were seeded with", () => {
    // mulberry32 from (seed ^ 0x9e3779b9): a change here moves every seeded split, sample and tree.
    const rng = new SeededRandom(42)
    expect([rng.next(), rng.next(), rng.next()]).toEqual([0.4813160905614495, 0.9852536325342953, 0.7379171899519861])
  })

  it("draws integers in their range and distinct sorted indices", () => {
    const rng = new SeededRandom(3)
    const ints = Array.from({ length: 2000 }, () => rng.range(2, 5))
    expect(new Set(ints)).toEqual(new Set([2, 3, 4, 5]))
    const picked = rng.sampleIndices(100, 10)
    expect(picked).toHaveLength(10)
    expect(new Set(picked).size).toBe(10)
    expect([...picked].sort((x, y) => x - y)).toEqual(picked)
    expect(picked.every((i) => i >= 0 && i < 100)).toBe(true)
    expect(rng.sampleIndices(3, 10)).toEqual([0, 1, 2])
  })

  it("shuffles into a permutation and draws standard normals", () => {
    const rng = new SeededRandom(5)
    const shuffled = rng.shuffle(Array.from({ length: 50 }, (_, i) => i))
    expect([...shuffled].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i))
    expect(shuffled).not.toEqual(Array.from({ length: 50 }, (_, i) => i))
    const xs = Array.from({ length: 20000 }, () => rng.normal())
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length
    expect(mean).toBeCloseTo(0, 1)
    expect(variance).toBeCloseTo(1, 1)
  })
})
