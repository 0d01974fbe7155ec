import type { InterestEvent } from "../../../engine/types"
import { simulateBehaviour, simulateBehaviourIter, simulationGroups } from "../behaviour"
import { generateCatalog } from "../catalog"

const DAY = 86_400_000
const catalog = generateCatalog({ seed: 42 })
const start = new Date("2024-03-01T00:00:00Z")
const primaryLeaf = new Map(catalog.products.map((p) => [p.id, p.categoryIds[0]]))

/** Share of views per primary category. */
function viewShares(events: InterestEvent[]): Map<string, number> {
  const counts = new Map<string, number>()
  let total = 0
  for (const e of events) {
    if (e.type !== "view") continue
    const c = primaryLeaf.get(e.productId) as string
    counts.set(c, (counts.get(c) ?? 0) + 1)
    total++
  }
  for (const [k, v] of counts) counts.set(k, v / total)
  return counts
}

/** Total variation distance: half the L1 distance between two distributions. */
function totalVariation(a: Map<string, number>, b: Map<string, number>): number {
  let d = 0
  for (const k of new Set([...a.keys(), ...b.keys()])) d += Math.abs((a.get(k) ?? 0) - (b.get(k) ?? 0))
  return d / 2
}

function topCategory(shares: Map<string, number>): string {
  return [...shares.entries()].sort((x, y) => y[1] - x[1])[0][0]
}

/** Per group: TV distance between views in the first and the last 30 days. */
function driftPerGroup(result: ReturnType<typeof simulateBehaviour>): number[] {
  const groupOf = new Map(result.customers.map((c) => [c.id, c.group]))
  return result.groups.map((g) => {
    const mine = result.events.filter((e) => groupOf.get(e.customerId) === g.index)
    const first = mine.filter((e) => e.timestamp < start.getTime() + 30 * DAY)
    const last = mine.filter((e) => e.timestamp >= start.getTime() + 60 * DAY)
    return totalVariation(viewShares(first), viewShares(last))
  })
}

describe("simulateBehaviour", () => {
  const result = simulateBehaviour({ catalog, start, seed: 7 })

  it("makes the default number of customers with about 20 events each", () => {
    expect(result.customers).toHaveLength(500)
    expect(result.groups).toHaveLength(5)
    expect(result.events.length / 500).toBeGreaterThan(14)
    expect(result.events.length / 500).toBeLessThan(26)
    const ids = new Set(result.customers.map((c) => c.id))
    expect(ids.size).toBe(500)
    expect(new Set(result.customers.map((c) => c.email)).size).toBe(500)
    for (const c of result.customers) {
      expect(c.email).toMatch(/^[a-z.']+\.\d+@example\.com$/)
      expect(c.group).toBeGreaterThanOrEqual(0)
      expect(c.group).toBeLessThan(5)
    }
    // Everyone shows up at least once.
    expect(new Set(result.events.map((e) => e.customerId)).size).toBe(500)
  })

  it("keeps timestamps in [start, start + days), each customer's in time order, products in the catalogue", () => {
    const end = start.getTime() + 90 * DAY
    // Plain loops with one assertion each: 10k expect() calls would dominate the test's time.
    const problems: string[] = []
    const last = new Map<string, number>()
    const seen = new Set<string>()
    let previous = ""
    for (const e of result.events) {
      if (e.timestamp < start.getTime() || e.timestamp >= end) problems.push(`out of range: ${e.timestamp}`)
      if (!primaryLeaf.has(e.productId)) problems.push(`unknown product ${e.productId}`)
      if (e.timestamp < (last.get(e.customerId) ?? 0)) problems.push(`out of order for ${e.customerId}`)
      last.set(e.customerId, e.timestamp)
      // Customer by customer: a customer's events are contiguous.
      if (e.customerId !== previous) {
        if (seen.has(e.customerId)) problems.push(`${e.customerId} appears twice`)
        seen.add(e.customerId)
        previous = e.customerId
      }
    }
    expect(problems).toEqual([])
  })

  it("has a plausible funnel: purchase << add_to_cart << view, with quantities", () => {
    const n = (t: string) => result.events.filter((e) => e.type === t).length
    const views = n("view")
    const carts = n("add_to_cart")
    const purchases = n("purchase")
    const wishlists = n("wishlist")
    expect(carts / views).toBeGreaterThan(0.04)
    expect(carts / views).toBeLessThan(0.2)
    expect(purchases / carts).toBeGreaterThan(0.2)
    expect(purchases / carts).toBeLessThan(0.8)
    expect(wishlists).toBeGreaterThan(0)
    expect(wishlists).toBeLessThan(carts)
    expect(n("click")).toBe(0)
    const badQuantity = result.events.filter((e) =>
      e.type === "add_to_cart" || e.type === "purchase" ? !(e.quantity !== undefined && e.quantity >= 1) : e.quantity !== undefined
    )
    expect(badQuantity).toEqual([])
    // Every purchase was put in the cart first by the same customer.
    const carted = new Set(result.events.filter((e) => e.type === "add_to_cart").map((e) => `${e.customerId}|${e.productId}`))
    const uncarted = result.events.filter((e) => e.type === "purchase" && !carted.has(`${e.customerId}|${e.productId}`))
    expect(uncarted).toEqual([])
  })

  it("gives groups measurably different tastes", () => {
    const groupOf = new Map(result.customers.map((c) => [c.id, c.group]))
    const shares = result.groups.map((g) => viewShares(result.events.filter((e) => groupOf.get(e.customerId) === g.index)))
    const tops = shares.map(topCategory)
    expect(new Set(tops).size).toBeGreaterThanOrEqual(4)
    for (let a = 0; a < shares.length; a++) {
      for (let b = a + 1; b < shares.length; b++) expect(totalVariation(shares[a], shares[b])).toBeGreaterThan(0.4)
    }
    expect(result.groups.map((g) => g.name)).toEqual([
      "Home decorators",
      "Runners",
      "Coffee lovers",
      "Outdoor adventurers",
      "Fashion lovers",
    ])
  })

  it("drifts: the first and last month differ for most groups, and much less without drift", () => {
    const drifting = simulateBehaviour({ catalog, start, seed: 11, customers: 2000 })
    const drift = driftPerGroup(drifting)
    // Measured with seed 11: 0.46, 0.51, 0.30, 0.39, 0.41 per group (0.08-0.10 without drift).
    expect(drift.filter((d) => d > 0.25).length).toBeGreaterThanOrEqual(3)
    // Drift shows up as a move towards the group's drift target categories.
    const steady = simulateBehaviour({ catalog, start, seed: 11, customers: 2000, driftShare: 0, seasonality: 0 })
    const noDrift = driftPerGroup(steady)
    expect(Math.max(...noDrift)).toBeLessThan(0.15)
    expect(Math.max(...drift)).toBeGreaterThan(2 * Math.max(...noDrift))
    const driftTimes = drifting.customers.flatMap((c) => (c.driftsAt === null ? [] : [c.driftsAt]))
    expect(driftTimes.length / drifting.customers.length).toBeGreaterThan(0.5)
    expect(Math.min(...driftTimes)).toBeGreaterThan(start.getTime())
    expect(Math.max(...driftTimes)).toBeLessThan(start.getTime() + 90 * DAY)
  })

  it("is deterministic, seed-sensitive, and the stream matches the arrays", () => {
    const again = simulateBehaviour({ catalog, start, seed: 7 })
    // Compared as JSON: deep equality on 10k objects is slow in jest.
    const json = JSON.stringify(result.events)
    expect(JSON.stringify(again.events)).toBe(json)
    expect(JSON.stringify(again.customers)).toBe(JSON.stringify(result.customers))
    const other = simulateBehaviour({ catalog, start, seed: 8 })
    expect(JSON.stringify(other.events)).not.toBe(json)

    const streamed: InterestEvent[] = []
    let customers = 0
    for (const { customer, events } of simulateBehaviourIter({ catalog, start, seed: 7 })) {
      expect(customer.id).toBe(result.customers[customers++].id)
      streamed.push(...events)
    }
    expect(JSON.stringify(streamed)).toBe(json)
    // The first customers do not depend on how many are simulated.
    const fewer = simulateBehaviour({ catalog, start, seed: 7, customers: 50 })
    expect(fewer.customers).toEqual(result.customers.slice(0, 50))
  })

  it("carries sales channels when asked, customers mostly sticking to one", () => {
    const r = simulateBehaviour({ catalog, start, seed: 3, customers: 100, channels: ["sc_web", "sc_app"] })
    expect(r.events.every((e) => e.channelId === "sc_web" || e.channelId === "sc_app")).toBe(true)
    expect(new Set(r.events.map((e) => e.channelId)).size).toBe(2)
  })

  it("exposes the same groups as the simulation", () => {
    expect(simulationGroups({ catalog, start, seed: 7 })).toEqual(result.groups)
    for (const g of result.groups) {
      expect(g.taste.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9)
      expect(g.topCategoryIds).toHaveLength(3)
    }
  })

  it("rejects bad options with a readable error", () => {
    expect(() => simulateBehaviour({ catalog, start: new Date("nope"), seed: 1 })).toThrow(/start must be a valid Date/)
    expect(() => simulateBehaviour({ catalog, start, seed: 1, driftShare: 2 })).toThrow(/driftShare must be between 0 and 1/)
    expect(() => simulateBehaviour({ catalog, start, seed: 1, groups: 0 })).toThrow(/groups must be a positive integer/)
  })
})
