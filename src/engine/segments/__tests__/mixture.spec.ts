import { mixturePrior, segmentMixture } from "../mixture"

describe("segmentMixture", () => {
  const centroids = [
    [0.8, 0.1, 0.1],
    [0.1, 0.8, 0.1],
    [0.1, 0.1, 0.8],
  ]

  it("sums to 1 and puts most weight on the nearest centroid", () => {
    for (const point of [[0.7, 0.2, 0.1], [0.34, 0.33, 0.33], [0, 0, 1], [1, 0, 0]]) {
      for (const t of [0.01, 0.05, 0.5, 10]) {
        const p = segmentMixture(point, centroids, t)
        expect(p).toHaveLength(3)
        expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12)
        for (const x of p) expect(x).toBeGreaterThanOrEqual(0)
      }
    }
    const p = segmentMixture([0.7, 0.2, 0.1], centroids, 0.05)
    expect(p[0]).toBeGreaterThan(p[1])
    expect(p[1]).toBeGreaterThan(p[2])
  })

  it("tends to the hard segment at a low temperature and to uniform at a high one", () => {
    expect(segmentMixture([0.7, 0.2, 0.1], centroids, 1e-4)[0]).toBeCloseTo(1, 6)
    const flat = segmentMixture([0.7, 0.2, 0.1], centroids, 1e4)
    for (const x of flat) expect(x).toBeCloseTo(1 / 3, 3)
  })

  it("halfway between two segments gives half of each", () => {
    const p = segmentMixture([0.45, 0.45, 0.1], centroids, 0.05)
    expect(p[0]).toBeCloseTo(p[1], 12)
    expect(p[2]).toBeLessThan(p[0])
  })

  it("does not underflow far from every centroid, and refuses a bad temperature", () => {
    const p = segmentMixture([50, 0, 0], centroids, 1e-3)
    expect(p.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12)
    expect(p[0]).toBeCloseTo(1, 6)
    expect(() => segmentMixture([1, 0, 0], centroids, 0)).toThrow(/temperature/)
  })
})

describe("mixturePrior", () => {
  it("is the mixture-weighted sum of the segments' interests, a distribution", () => {
    const interests = [new Map([[1, 1]]), new Map([[2, 3], [3, 1]])]
    const prior = mixturePrior([0.5, 0.5], interests)
    expect(prior.get(1)).toBeCloseTo(0.5)
    expect(prior.get(2)).toBeCloseTo(0.375)
    expect(prior.get(3)).toBeCloseTo(0.125)
    expect([...prior.values()].reduce((s, x) => s + x, 0)).toBeCloseTo(1, 12)
  })
})
