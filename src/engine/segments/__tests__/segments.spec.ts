import { runKmeans } from "../kmeans"
import { matchSegments } from "../match"
import { fitSegments, segmentName } from "../segments"
import { silhouetteScore } from "../silhouette"

describe("k-means (ml-kmeans) and segments", () => {
  it("finds separable clusters (ml-kmeans fixture)", () => {
    const data = [
      [1, 1, 1],
      [1, 2, 1],
      [-1, -1, -1],
      [-1, -1, -1.5],
    ]
    const fit = runKmeans(data, 2, 3)
    const sorted = [...fit.centroids].sort((a, b) => a[0] - b[0])
    expect(sorted[0]).toEqual([-1, -1, -1.25])
    expect(sorted[1]).toEqual([1, 1.5, 1])
    expect(fit.clusters[0]).toBe(fit.clusters[1])
    expect(fit.clusters[2]).toBe(fit.clusters[3])
    expect(fit.clusters[0]).not.toBe(fit.clusters[2])
  })

  it("silhouette is high for separated clusters and low for a bad split", () => {
    const pts = [[0, 0], [0, 1], [10, 10], [10, 11]]
    expect(silhouetteScore(pts, [0, 0, 1, 1])).toBeGreaterThan(0.9)
    expect(silhouetteScore(pts, [0, 1, 0, 1])).toBeLessThan(0)
  })

  // Three groups of customers: lamps, rugs, vases (facet indices 0, 1, 2), with a little noise.
  const ids = ["lamps", "rugs", "vases", "other"]
  const group = (main: number, n: number, offset: number): Map<number, number>[] =>
    Array.from({ length: n }, (_, i) => new Map([[main, 5 + ((i + offset) % 3)], [3, 0.2 * (i % 2)]]))
  const profiles = [...group(0, 10, 0), ...group(1, 10, 1), ...group(2, 10, 2)]

  it("chooses k from the data and names segments by their top interests", () => {
    const model = fitSegments(profiles, ids, { maxK: 6, seed: 1 })
    expect(model.segments).toHaveLength(3)
    for (const base of [0, 10, 20]) {
      const seg = model.assignments[base]
      for (let i = base; i < base + 10; i++) expect(model.assignments[i]).toBe(seg)
    }
    const names = model.segments.map((s) => s.topInterests[0].id).sort()
    expect(names).toEqual(["lamps", "rugs", "vases"])
    for (const s of model.segments) {
      expect(s.size).toBe(10)
      expect(s.cohesion).toBeGreaterThan(0.95)
      expect(s.drift).toBeNull()
    }
  })

  it("keeps ids and names across retrains and reports drift", () => {
    const first = fitSegments(profiles, ids, { maxK: 6, seed: 1 })
    const previous = first.segments.map((s) => ({ id: s.id, name: s.name, centroid: s.centroid }))
    // Same customers in another order, another seed: cluster indices change, ids must not.
    const reordered = [...profiles].reverse()
    const second = fitSegments(reordered, ids, { maxK: 6, seed: 99 }, previous)
    for (const s of second.segments) {
      const old = first.segments.find((f) => f.topInterests[0].id === s.topInterests[0].id)
      expect(s.id).toBe(old?.id)
      expect(s.name).toBe(old?.name)
      expect(s.drift).not.toBeNull()
      expect(s.drift as number).toBeLessThan(0.01)
    }
  })

  it("matches one-to-one and leaves dissimilar centroids new", () => {
    const m = matchSegments([{ a: 1 }, { b: 1 }], [{ id: "seg_1", name: "A", centroid: { a: 1 } }], 0.5)
    expect(m[0].previous).toBe(0)
    expect(m[1].previous).toBe(-1)
    expect(segmentName(["Lamps", "Rugs", "Vases", "X"])).toBe("Lamps, Rugs & Vases")
  })
})
