import { nearestCustomers, transferVector } from "../feature-transfer"

describe("feature-based transfer", () => {
  const segment = new Map([[0, 0.5], [1, 0.5]])
  const neighbour = { profile: new Map([[1, 1]]), similarity: 1 }

  it("a brand-new customer gets the borrowed vector only", () => {
    const t = transferVector({ own: new Map(), events: 0, segment, neighbours: [neighbour] }, { segmentShare: 0.5 })
    // borrowed = 0.5 * {0: .5, 1: .5} + 0.5 * {1: 1} = {0: .25, 1: .75}
    expect(t.get(0)).toBeCloseTo(0.25, 12)
    expect(t.get(1)).toBeCloseTo(0.75, 12)
  })

  it("a cold customer blends own and borrowed by history size", () => {
    // 2 events, priorEvents 8 -> alpha = 2 / 10 = 0.2
    const own = new Map([[2, 3]])
    const t = transferVector({ own, events: 2, segment, neighbours: [neighbour] }, { priorEvents: 8, segmentShare: 0.5 })
    expect(t.get(2)).toBeCloseTo(0.2, 12)
    expect(t.get(0)).toBeCloseTo(0.8 * 0.25, 12)
    expect(t.get(1)).toBeCloseTo(0.8 * 0.75, 12)
  })

  it("a customer with long history keeps mostly their own interests", () => {
    const t = transferVector({ own: new Map([[2, 1]]), events: 792, segment, neighbours: [] }, { priorEvents: 8 })
    expect(t.get(2)).toBeCloseTo(0.99, 12)
    expect(t.get(0)).toBeCloseTo(0.005, 12)
  })

  it("nearest customers by cosine, best first", () => {
    const me = new Map([[0, 1], [1, 1]])
    const got = nearestCustomers(
      me,
      [
        { key: 7, profile: new Map([[5, 1]]) },
        { key: 3, profile: new Map([[0, 1]]) },
        { key: 4, profile: new Map([[0, 1], [1, 1]]) },
      ],
      2
    )
    expect(got.map((n) => n.key)).toEqual([4, 3])
    expect(got[0].similarity).toBeCloseTo(1, 12)
  })

  it("rejects a bad option with a readable message", () => {
    expect(() => transferVector({ own: new Map(), events: 0, segment, neighbours: [] }, { segmentShare: 2 })).toThrow(
      "segmentShare must be in [0, 1]"
    )
  })
})
