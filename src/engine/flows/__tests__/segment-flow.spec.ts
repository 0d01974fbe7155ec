import { GONE_CUSTOMERS, NEW_CUSTOMERS, RunSegments, segmentDrift, segmentFlow } from "../segment-flow"

const a = (customer_id: string, segment_id: string) => ({ customer_id, segment_id })

describe("segmentFlow", () => {
  /**
   * Before: c1 c2 c3 in s1, c4 c5 in s2, c6 in s3.
   * After:  c1 c2 stay in s1, c3 moves to s2, c4 stays in s2, c5 moves to s4 (a new segment),
   *         c6 is gone, c7 and c8 are new (c7 in s1, c8 in s4).
   */
  const before = [a("c1", "s1"), a("c2", "s1"), a("c3", "s1"), a("c4", "s2"), a("c5", "s2"), a("c6", "s3")]
  const after = [a("c1", "s1"), a("c2", "s1"), a("c3", "s2"), a("c4", "s2"), a("c5", "s4"), a("c7", "s1"), a("c8", "s4")]
  const flow = segmentFlow(before, after)

  it("counts every customer once, by (segment before, segment after)", () => {
    expect(flow.cells).toEqual([
      { from: "s1", to: "s1", customers: 2 },
      { from: NEW_CUSTOMERS, to: "s1", customers: 1 },
      { from: NEW_CUSTOMERS, to: "s4", customers: 1 },
      { from: "s1", to: "s2", customers: 1 },
      { from: "s2", to: "s2", customers: 1 },
      { from: "s2", to: "s4", customers: 1 },
      { from: "s3", to: GONE_CUSTOMERS, customers: 1 },
    ])
    const total = flow.cells.reduce((n, c) => n + c.customers, 0)
    expect(total).toBe(8)
  })

  it("sums stayed, moved, joined and left", () => {
    expect(flow).toMatchObject({ stayed: 3, moved: 2, joined: 2, left: 1 })
  })

  it("keeps each segment's size on both sides", () => {
    const out = (s: string) => flow.cells.filter((c) => c.from === s).reduce((n, c) => n + c.customers, 0)
    const into = (s: string) => flow.cells.filter((c) => c.to === s).reduce((n, c) => n + c.customers, 0)
    expect([out("s1"), out("s2"), out("s3")]).toEqual([3, 2, 1])
    expect([into("s1"), into("s2"), into("s4")]).toEqual([3, 2, 2])
  })

  it("answers everyone new from an empty run, and everyone gone into one", () => {
    expect(segmentFlow([], before.slice(0, 2))).toEqual({
      cells: [{ from: NEW_CUSTOMERS, to: "s1", customers: 2 }],
      stayed: 0,
      moved: 0,
      joined: 2,
      left: 0,
    })
    expect(segmentFlow(before.slice(3, 5), []).cells).toEqual([{ from: "s2", to: GONE_CUSTOMERS, customers: 2 }])
  })

  it("rejects a customer listed twice and malformed entries", () => {
    expect(() => segmentFlow([a("c1", "s1"), a("c1", "s2")], [])).toThrow("Customer c1 appears twice in the earlier assignment.")
    expect(() => segmentFlow([], [{ customer_id: "c1" } as never])).toThrow("needs a customer_id and a segment_id")
    expect(() => segmentFlow(null as never, [])).toThrow("must be an array")
  })
})

describe("segmentDrift", () => {
  const runs: RunSegments[] = [
    { segments: [{ id: "s1", size: 10, centroid: { x: 1 } }, { id: "s2", size: 4, centroid: { y: 1 } }] },
    // s1 turns 45 degrees towards y; s2 retires; s3 appears.
    { segments: [{ id: "s1", size: 12, centroid: { x: 1, y: 1 } }, { id: "s3", size: 5, centroid: { z: 1 } }] },
    { segments: [{ id: "s1", size: 11, centroid: { x: 1, y: 1 } }, { id: "s3", size: 6, centroid: { y: 1 } }, { id: "s2", size: 2, centroid: { y: 1 } }] },
  ]
  const drift = segmentDrift(runs)

  it("follows the last run's segments, oldest run first", () => {
    expect(drift.map((d) => d.id)).toEqual(["s1", "s3", "s2"])
    expect(drift[0].sizes).toEqual([10, 12, 11])
    expect(drift[1].sizes).toEqual([null, 5, 6])
    expect(drift[2].sizes).toEqual([4, null, 2])
  })

  it("measures 1 - cosine to the run before, null where there is no run before", () => {
    expect(drift[0].shifts[0]).toBeNull()
    expect(drift[0].shifts[1]).toBeCloseTo(1 - Math.SQRT1_2, 6)
    expect(drift[0].shifts[2]).toBe(0)
    // s3 went from z to y: orthogonal.
    expect(drift[1].shifts).toEqual([null, null, 1])
    // s2 skipped a run: no shift across the gap.
    expect(drift[2].shifts).toEqual([null, null, null])
  })

  it("answers nothing for no runs", () => {
    expect(segmentDrift([])).toEqual([])
  })
})
