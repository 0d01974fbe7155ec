import { CatalogProduct, InterestEvent } from "../../types"
import { SeededRandom } from "../../util/random"
import { dropLastActivePeriod } from "../dev-split"
import { evaluateOnEvents } from "../evaluate"

const DAY = 86400000
const T0 = Date.UTC(2024, 0, 1)
const GROUPS = ["lamps", "rugs", "vases"]

/** 36 customers over 5 weeks; the last four of each group are only active in week 4. */
function shop(): { catalog: CatalogProduct[]; events: InterestEvent[] } {
  const catalog: CatalogProduct[] = []
  for (const g of GROUPS) for (let i = 0; i < 8; i++) catalog.push({ id: `${g}-${i}`, categoryIds: [g] })
  const rng = new SeededRandom(7)
  const events: InterestEvent[] = []
  GROUPS.forEach((g, gi) => {
    for (let c = 0; c < 12; c++) {
      for (let week = c >= 8 ? 4 : 0; week < 5; week++) {
        for (let e = 0; e < 3; e++) {
          const group = rng.next() < 0.85 ? g : GROUPS[(gi + 1) % 3]
          events.push({
            customerId: `${g}-${c}`,
            productId: `${group}-${rng.int(8)}`,
            type: "view",
            timestamp: T0 + week * 7 * DAY + e * 3600000 + c * 60000,
          })
        }
      }
    }
  })
  return { catalog, events }
}

describe("evaluateOnEvents split", () => {
  const { catalog, events } = shop()
  const options = { ks: [10], engine: { period: "week" as const, sequence: { enabled: false }, seed: 3 } }

  it("dev is the test protocol on the events without each customer's last period", async () => {
    const dev = await evaluateOnEvents(events, catalog, { ...options, split: "dev" })
    const earlier = await evaluateOnEvents(dropLastActivePeriod(events, "week"), catalog, options)
    expect(dev.split).toBe("dev")
    expect(earlier.split).toBe("test")
    // 12 one-week customers (3 x 12 events) and the 24 others' week 4 (24 x 3 events).
    expect(dev.devSplit).toEqual({ removedEvents: 36 + 72, removedCustomers: 12, removedProducts: 0 })
    expect(dev.customers.all).toBe(24)
    expect(dev.results).toEqual(earlier.results)
    expect(dev.reachability).toEqual(earlier.reachability)
    expect(dev.reachability.pairs).toBeGreaterThan(0)
  })

  it("rejects an unknown split", async () => {
    await expect(evaluateOnEvents(events, catalog, { ...options, split: "holdout" as "dev" })).rejects.toThrow(/split must be/)
  })
})
