import { CatalogProduct, InterestEvent } from "../../types"
import { TrainedArtifacts, forgetCustomers, loadArtifacts, recommend, trainPipeline } from ".."

const DAY = 86400000
const T0 = Date.UTC(2024, 0, 1)
const GROUPS = ["lamps", "rugs"]

/** Two groups of fans, each viewing and buying their group's products over four weeks. */
function shop(): { catalog: CatalogProduct[]; events: InterestEvent[] } {
  const catalog: CatalogProduct[] = []
  for (const g of GROUPS) for (let i = 0; i < 6; i++) catalog.push({ id: `${g}-${i}`, categoryIds: [g], title: `${g} #${i}` })
  const events: InterestEvent[] = []
  GROUPS.forEach((g) => {
    for (let c = 0; c < 8; c++) {
      for (let week = 0; week < 4; week++) {
        for (let e = 0; e < 3; e++) {
          events.push({
            customerId: `${g}-fan-${c}`,
            productId: `${g}-${(c + e + week) % 6}`,
            type: e === 2 ? "purchase" : "view",
            timestamp: T0 + week * 7 * DAY + e * 3600000 + c * 60000,
          })
        }
      }
    }
  })
  // An anonymous visitor's subject, as training spells it.
  events.push({ customerId: "v:visitor-1", productId: "rugs-5", type: "view", timestamp: T0 + 27 * DAY })
  return { catalog, events }
}

describe("forgetCustomers", () => {
  const { catalog, events } = shop()
  let artifacts: TrainedArtifacts
  let withSequence: TrainedArtifacts
  const gone = ["lamps-fan-2", "v:visitor-1"]

  beforeAll(async () => {
    artifacts = await trainPipeline(events, catalog, { period: "week", sequence: { enabled: false }, seed: 3 })
    // The LSTM is off here: give every customer a fold and a prediction that names its own index, to check they follow.
    const n = artifacts.customers.ids.length
    withSequence = {
      ...artifacts,
      sequence: { models: [], foldOf: Array.from({ length: n }, (_, i) => i % 2), space: { top: [0] }, lookback: 4, mode: "space" },
      predictions: Array.from({ length: n }, (_, i) => [i, [i]]),
    }
  })

  it("removes the customers from every place that names or indexes them, and keeps the others intact", () => {
    const artifacts = withSequence
    const before = JSON.stringify(artifacts)
    const { artifacts: out, removed } = forgetCustomers(artifacts, [...gone, "never-seen"])
    expect(removed).toBe(2)
    // The input is not changed.
    expect(JSON.stringify(artifacts)).toBe(before)
    const json = JSON.stringify(out)
    for (const id of gone) expect(json).not.toContain(id)
    expect(out.customers.ids).toEqual(artifacts.customers.ids.filter((id) => !gone.includes(id)))
    expect(out.customers.states).toHaveLength(out.customers.ids.length)
    // Every remaining customer keeps their own state, fold and prediction under their new index.
    const oldIndex = new Map(artifacts.customers.ids.map((id, i) => [id, i]))
    out.customers.ids.forEach((id, j) => {
      const i = oldIndex.get(id) as number
      expect(out.customers.states[j]).toEqual(artifacts.customers.states[i])
      expect(out.sequence?.foldOf[j]).toBe(i % 2)
      expect(out.predictions.find(([c]) => c === j)?.[1]).toEqual([i])
    })
    expect(out.predictions).toHaveLength(out.customers.ids.length)
    // Segment samples point at the same customers as before, renumbered, without the forgotten.
    const gonePositions = gone.map((id) => oldIndex.get(id))
    artifacts.segments.members.forEach((members, k) => {
      const expected = members.filter((c) => !gonePositions.includes(c)).map((c) => artifacts.customers.ids[c])
      expect(out.segments.members[k].map((c) => out.customers.ids[c])).toEqual(expected)
    })
    const fan = artifacts.customers.states[oldIndex.get("lamps-fan-2") as number].segment
    expect(out.segments.list[fan].size).toBe(artifacts.segments.list[fan].size - 1)
  })

  it("leaves valid artifacts in which the forgotten are unknown shoppers and the others are served as before", () => {
    const original = loadArtifacts(artifacts)
    const forgotten = loadArtifacts(JSON.parse(JSON.stringify(forgetCustomers(artifacts, gone).artifacts)))
    for (const placement of ["for_you", "recently_viewed", "segment"] as const) {
      const stranger = recommend(forgotten, { customerId: "nobody-at-all", placement, limit: 6 })
      for (const id of gone) {
        expect(forgotten.stage.customerIndex.has(id)).toBe(false)
        expect(recommend(forgotten, { customerId: id, placement, limit: 6 })).toEqual(stranger)
      }
      // Before, the model knew them: the fan got their own list.
      expect(recommend(original, { customerId: "lamps-fan-2", placement: "for_you", limit: 6 })).not.toEqual(
        recommend(original, { customerId: "nobody-at-all", placement: "for_you", limit: 6 })
      )
      for (const id of ["lamps-fan-0", "rugs-fan-7"]) {
        expect(recommend(forgotten, { customerId: id, placement, limit: 6 })).toEqual(recommend(original, { customerId: id, placement, limit: 6 }))
      }
    }
  })

  it("returns the same artifacts when none of the ids is known", () => {
    const res = forgetCustomers(artifacts, ["nobody"])
    expect(res.removed).toBe(0)
    expect(res.artifacts).toBe(artifacts)
  })
})
