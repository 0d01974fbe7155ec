import { InterestEvent } from "../../types"
import { applyDevSplit, catalogWithoutRemovedOnly, dropLastActivePeriod, isSplit } from "../dev-split"

const DAY = 86400000
const HOUR = 3600000
// 2024-01-07 is a Sunday: with ISO weeks, Sunday and the following Monday are different weeks.
const SUNDAY = Date.UTC(2024, 0, 7)

const ev = (customerId: string, productId: string, timestamp: number): InterestEvent => ({
  customerId,
  productId,
  type: "view",
  timestamp,
})

describe("dropLastActivePeriod", () => {
  // a: days 0, 1, 1 and 3 (the day-3 row first: rows may come in any order) -> day 3 goes.
  // b: two events on day 2 only -> nothing left, b drops out.
  // c: 23:59:59.999 on day 1 and midnight of day 2 -> only the midnight one goes.
  const a3 = ev("a", "p4", SUNDAY + 3 * DAY + 5 * HOUR)
  const a0 = ev("a", "p1", SUNDAY + 10 * HOUR)
  const a1 = ev("a", "p2", SUNDAY + DAY + 9 * HOUR)
  const a1b = { ...ev("a", "p3", SUNDAY + DAY + 20 * HOUR), type: "purchase" as const }
  const b2 = ev("b", "p5", SUNDAY + 2 * DAY + HOUR)
  const b2b = ev("b", "p1", SUNDAY + 2 * DAY + 2 * HOUR)
  const c1 = ev("c", "p6", SUNDAY + 2 * DAY - 1)
  const c2 = ev("c", "p6", SUNDAY + 2 * DAY)
  const events = [a3, b2, a0, c1, a1, b2b, a1b, c2]

  it("removes each customer's last active day and nothing else, keeping the order", () => {
    const kept = dropLastActivePeriod(events, "day")
    expect(kept).toEqual([a0, c1, a1, a1b])
    // The very same objects: untouched, not copies.
    expect(kept[0]).toBe(a0)
    expect(kept.some((e) => e.customerId === "b")).toBe(false)
  })

  it("uses the period unit: with weeks Sunday is one week, Monday to Wednesday the next", () => {
    // a: Sunday (week 1) and Monday/Wednesday (week 2) -> the Monday/Wednesday rows go.
    // b: Tuesday only -> drops out. c: Monday and Tuesday, one week -> drops out.
    expect(dropLastActivePeriod(events, "week")).toEqual([a0])
  })

  it("keeps nothing when every customer was active in one period", () => {
    expect(dropLastActivePeriod([b2, b2b], "day")).toEqual([])
    expect(dropLastActivePeriod([], "day")).toEqual([])
  })
})

describe("catalogWithoutRemovedOnly / applyDevSplit", () => {
  const catalog = ["p1", "p2", "p3", "p4", "p5", "p6", "untouched"].map((id) => ({ id, categoryIds: ["c"] }))
  const events = [
    ev("a", "p1", SUNDAY),
    ev("a", "p2", SUNDAY),
    ev("a", "p1", SUNDAY + DAY), // a's last day: p1 stays known from day 0
    ev("a", "p3", SUNDAY + DAY), // known only from a removed event
    ev("b", "p4", SUNDAY), // b: one day only
  ]

  it("drops products known only from removed events, keeps products without any event", () => {
    const kept = dropLastActivePeriod(events, "day")
    expect(catalogWithoutRemovedOnly(catalog, events, kept).map((p) => p.id)).toEqual(["p1", "p2", "p5", "p6", "untouched"])
  })

  it("reports what it removed", () => {
    const r = applyDevSplit(events, catalog, "day")
    expect(r.events).toEqual([events[0], events[1]])
    expect(r.report).toEqual({ removedEvents: 3, removedCustomers: 1, removedProducts: 2 })
  })

  it("accepts only test and dev", () => {
    expect(isSplit("dev")).toBe(true)
    expect(isSplit("test")).toBe(true)
    expect(isSplit("validation")).toBe(false)
  })
})
