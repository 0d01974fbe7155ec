import { parseInterestEventsCsv } from "../csv"
import { periodOf, periodStart, seasonEncoding } from "../periods"

const HEADER = "customer_id,product_id,type,timestamp,category_ids"

describe("parseInterestEventsCsv", () => {
  it("reads events and builds the catalogue with the union of categories", () => {
    const { events, catalog } = parseInterestEventsCsv(
      [HEADER, "u1,p1,view,2017-11-26T12:49:26Z,c1|c2", "u1,p1,purchase,2017-11-27T00:00:00Z,c3", "u2,p2,add_to_cart,2017-11-26T00:00:00Z,"].join("\n")
    )
    expect(events).toHaveLength(3)
    expect(events[0]).toEqual({ customerId: "u1", productId: "p1", type: "view", timestamp: Date.UTC(2017, 10, 26, 12, 49, 26) })
    expect(catalog.find((p) => p.id === "p1")?.categoryIds).toEqual(["c1", "c2", "c3"])
    expect(catalog.find((p) => p.id === "p2")?.categoryIds).toEqual([])
  })

  it("names the missing column", () => {
    expect(() => parseInterestEventsCsv("customer_id,product_id,type,category_ids\nu1,p1,view,c1", "x.csv")).toThrow(
      "x.csv line 1: missing column timestamp"
    )
  })

  it("names the line of a bad timestamp", () => {
    expect(() => parseInterestEventsCsv(`${HEADER}\nu1,p1,view,2017-11-26T12:49:26Z,c1\nu1,p1,view,yesterday,c1`, "x.csv")).toThrow(
      'x.csv line 3: bad timestamp "yesterday"'
    )
  })

  it("names the line of an unknown type", () => {
    expect(() => parseInterestEventsCsv(`${HEADER}\n\nu1,p1,like,2017-11-26T12:49:26Z,c1`, "x.csv")).toThrow(
      'x.csv line 3: unknown type "like"'
    )
  })

  it("rejects an empty file and a header without events", () => {
    expect(() => parseInterestEventsCsv("", "x.csv")).toThrow("x.csv is empty")
    expect(() => parseInterestEventsCsv(HEADER + "\n", "x.csv")).toThrow("x.csv has a header but no events")
  })
})

describe("periods", () => {
  it("weeks start on Monday, months are calendar months (UTC)", () => {
    const monday = Date.UTC(2017, 10, 27) // Monday 27 Nov 2017
    expect(periodOf(monday, "week")).toBe(periodOf(monday + 6 * 86400000 + 1000, "week"))
    expect(periodOf(monday - 1, "week")).toBe(periodOf(monday, "week") - 1)
    expect(periodStart(periodOf(monday + 3600000, "week"), "week")).toBe(monday)
    expect(periodStart(periodOf(Date.UTC(2016, 1, 29, 5), "month"), "month")).toBe(Date.UTC(2016, 1, 1))
  })

  it("season puts late December next to early January", () => {
    const dec = seasonEncoding(periodOf(Date.UTC(2015, 11, 31), "day"), "day")
    const jan = seasonEncoding(periodOf(Date.UTC(2016, 0, 1), "day"), "day")
    const jul = seasonEncoding(periodOf(Date.UTC(2016, 6, 1), "day"), "day")
    const dist = (a: number[], b: number[]): number => Math.hypot(a[0] - b[0], a[1] - b[1])
    expect(dist(dec, jan)).toBeLessThan(0.05)
    expect(dist(dec, jul)).toBeGreaterThan(1.9)
  })
})
