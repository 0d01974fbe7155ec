import { CatalogProduct, InterestEvent } from "../../types"
import { SeededRandom } from "../../util/random"
import { TUNING_VARIANTS, crossValidateRanker } from "../cross-validate"

const DAY = 86400000
const T0 = Date.UTC(2024, 0, 1)
const GROUPS = ["lamps", "rugs", "vases"]

/** 30 fans over 6 weeks; `lastWeeks` replaces what they do in the last two weeks. */
function shop(lastWeeks: (g: string, rng: SeededRandom) => string): { catalog: CatalogProduct[]; events: InterestEvent[] } {
  const catalog: CatalogProduct[] = []
  for (const g of GROUPS) for (let i = 0; i < 6; i++) catalog.push({ id: `${g}-${i}`, categoryIds: [g] })
  const rng = new SeededRandom(7)
  const events: InterestEvent[] = []
  GROUPS.forEach((g, gi) => {
    for (let c = 0; c < 10; c++) {
      for (let week = 0; week < 6; week++) {
        for (let e = 0; e < 3; e++) {
          const group = rng.next() < 0.85 ? g : GROUPS[(gi + 1) % 3]
          const productId = week >= 4 ? lastWeeks(g, rng) : `${group}-${rng.int(6)}`
          events.push({ customerId: `${g}-${c}`, productId, type: "view", timestamp: T0 + week * 7 * DAY + e * 3600000 + c * 60000 })
        }
      }
    }
  })
  return { catalog, events }
}

describe("crossValidateRanker", () => {
  const variants = TUNING_VARIANTS.filter((v) => v.name === "default" || v.name === "baseline features")

  it("scores every variant at both levels against the first, over the same held-out customers", async () => {
    const { catalog, events } = shop((g, rng) => `${g}-${rng.int(6)}`)
    const rows = await crossValidateRanker(events, catalog, { period: "week" }, variants, 3)
    expect(rows.map((r) => `${r.variant}|${r.level}`)).toEqual([
      "default|category",
      "default|product",
      "baseline features|category",
      "baseline features|product",
    ])
    for (const r of rows) {
      expect(r.customers).toBe(30)
      expect(r.ndcg).toBeGreaterThan(0)
      expect(r.ndcg).toBeLessThanOrEqual(1)
    }
    expect(rows[0].diff).toBe(0)
    expect(rows[2].diff).toBeCloseTo(rows[2].ndcg - rows[0].ndcg, 10)
    // Fans stay in their group: the own categories rank first.
    expect(rows[0].ndcg).toBeGreaterThan(0.8)
  })

  it("never reads the dev split's test period, nor the test period", async () => {
    const a = shop((g, rng) => `${g}-${rng.int(6)}`)
    // The last two weeks (the test and the dev split's test) become something else entirely.
    const b = shop((g, rng) => `${GROUPS[(GROUPS.indexOf(g) + 2) % 3]}-${rng.int(6)}`)
    const ra = await crossValidateRanker(a.events, a.catalog, { period: "week" }, variants.slice(0, 1), 3)
    const rb = await crossValidateRanker(b.events, b.catalog, { period: "week" }, variants.slice(0, 1), 3)
    expect(rb).toEqual(ra)
  })

  it("rejects fewer than two folds", async () => {
    const { catalog, events } = shop((g, rng) => `${g}-${rng.int(6)}`)
    await expect(crossValidateRanker(events, catalog, { period: "week" }, variants, 1)).rejects.toThrow("folds must be an integer >= 2, got 1.")
  })
})
