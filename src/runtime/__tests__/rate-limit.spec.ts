import { DEFAULT_RATE_LIMIT, RateLimitBudgets } from "../../options/plugin-options"
import { FixedWindowCounter, StoreRateLimiter } from "../rate-limit"

const BUDGETS: RateLimitBudgets = {
  windowMs: 1000,
  eventsPerShopper: 10,
  eventsPerIp: 25,
  eventRequestsPerIp: 8,
  shoppersPerIp: 4,
  identifyPerIp: 2,
  recommendationsPerIp: 3,
}

function limiter(budgets: RateLimitBudgets = BUDGETS): { l: StoreRateLimiter; clock: { t: number } } {
  const clock = { t: 0 }
  return { l: new StoreRateLimiter(budgets, () => clock.t), clock }
}

describe("StoreRateLimiter.events", () => {
  it("holds a shopper to their events per window, counting events, not requests", () => {
    const { l, clock } = limiter()
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 6 })).toEqual({ allowed: true })
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 4 })).toEqual({ allowed: true })
    clock.t = 400
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 1 })).toEqual({
      allowed: false,
      budget: "eventsPerShopper",
      limit: 10,
      retryAfterMs: 600,
    })
    clock.t = 1000
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 10 }).allowed).toBe(true)
  })

  it("lets a refused batch be resent smaller: refused events are not counted", () => {
    const { l } = limiter()
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 8 }).allowed).toBe(true)
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 5 }).allowed).toBe(false)
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 2 }).allowed).toBe(true)
  })

  it("keeps a shopper's budget across IPs", () => {
    const { l } = limiter()
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 10 }).allowed).toBe(true)
    expect(l.events({ ip: "b", shoppers: ["v:1"], events: 1 })).toMatchObject({ allowed: false, budget: "eventsPerShopper" })
    expect(l.events({ ip: "b", shoppers: ["v:2"], events: 1 }).allowed).toBe(true)
  })

  it("budgets the customer and the visitor id of a request each on their own", () => {
    const { l } = limiter()
    expect(l.events({ ip: "a", shoppers: ["c:1", "v:1"], events: 10 }).allowed).toBe(true)
    // A fresh visitor id does not free the customer...
    expect(l.events({ ip: "b", shoppers: ["c:1", "v:2"], events: 1 })).toMatchObject({ allowed: false, budget: "eventsPerShopper" })
    // ...nor another account the visitor id.
    expect(l.events({ ip: "b", shoppers: ["c:2", "v:1"], events: 1 })).toMatchObject({ allowed: false, budget: "eventsPerShopper" })
    // The refused requests spent nothing of v:2 or c:2.
    expect(l.events({ ip: "b", shoppers: ["c:2", "v:2"], events: 10 }).allowed).toBe(true)
  })

  it("does not let a fresh visitor id per request escape the IP's event budget", () => {
    const { l } = limiter({ ...BUDGETS, shoppersPerIp: 100, eventRequestsPerIp: 100 })
    const verdicts = Array.from({ length: 5 }, (_, i) => l.events({ ip: "a", shoppers: [`v:${i}`], events: 10 }))
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, false, false, false])
    expect(verdicts[2]).toMatchObject({ budget: "eventsPerIp", limit: 25 })
    // 20 of the IP's 25 are spent: a batch of 5 still fits.
    expect(l.events({ ip: "a", shoppers: ["v:9"], events: 5 }).allowed).toBe(true)
    expect(l.events({ ip: "b", shoppers: ["v:10"], events: 10 }).allowed).toBe(true)
  })

  it("caps the distinct shoppers per IP and window, and lets known ones continue", () => {
    const { l, clock } = limiter({ ...BUDGETS, eventRequestsPerIp: 100, eventsPerIp: 1000 })
    for (let i = 0; i < 4; i++) expect(l.events({ ip: "a", shoppers: [`v:${i}`], events: 1 }).allowed).toBe(true)
    expect(l.events({ ip: "a", shoppers: ["v:new"], events: 1 })).toMatchObject({ allowed: false, budget: "shoppersPerIp", limit: 4 })
    expect(l.events({ ip: "a", shoppers: ["v:0"], events: 1 }).allowed).toBe(true)
    expect(l.events({ ip: "b", shoppers: ["v:new"], events: 1 }).allowed).toBe(true)
    clock.t = 1000
    expect(l.events({ ip: "a", shoppers: ["v:other"], events: 1 }).allowed).toBe(true)
  })

  it("counts every request against the IP's request budget, refused ones included", () => {
    const { l, clock } = limiter()
    const verdicts = Array.from({ length: 12 }, () => l.events({ ip: "a", shoppers: ["v:1"], events: 0 }))
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(8)
    expect(verdicts[8]).toMatchObject({ allowed: false, budget: "eventRequestsPerIp", limit: 8 })
    // Hammering on does not extend the window, but keeps the client out until it ends.
    clock.t = 999
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 0 }).allowed).toBe(false)
    clock.t = 1000
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 0 }).allowed).toBe(true)
  })
})

describe("StoreRateLimiter identify and recommendations", () => {
  it("limits each per IP, separately from each other and from events", () => {
    const { l } = limiter()
    expect([1, 2, 3].map(() => l.identify("a").allowed)).toEqual([true, true, false])
    expect(l.identify("b").allowed).toBe(true)
    expect([1, 2, 3, 4].map(() => l.recommendations("a").allowed)).toEqual([true, true, true, false])
    expect(l.recommendations("a")).toMatchObject({ budget: "recommendationsPerIp", limit: 3 })
    expect(l.events({ ip: "a", shoppers: ["v:1"], events: 1 }).allowed).toBe(true)
  })
})

describe("FixedWindowCounter", () => {
  it("forgets ended windows once it holds many keys, and never holds more than its cap", () => {
    const clock = { t: 0 }
    const counter = new FixedWindowCounter(1000, () => clock.t, 15_000)
    for (let i = 0; i < 12_000; i++) counter.add(`old-${i}`, 1)
    expect(counter.size).toBe(12_000)
    clock.t = 1500
    counter.add("fresh", 1)
    expect(counter.size).toBe(1)
    // Live keys only: the cap evicts the oldest windows.
    for (let i = 0; i < 20_000; i++) counter.add(`live-${i}`, 1)
    expect(counter.size).toBeLessThanOrEqual(15_000)
    expect(counter.peek("live-19999").count).toBe(1)
    expect(counter.peek("fresh").count).toBe(0)
  })
})

describe("DEFAULT_RATE_LIMIT", () => {
  it("lets a shopper sending several events a second for a minute through, and a full batch always fits", () => {
    const l = new StoreRateLimiter(DEFAULT_RATE_LIMIT, () => 0)
    // 5 events a second for 60 s, flushed in batches of 5: 300 events, 60 requests.
    for (let i = 0; i < 60; i++) expect(l.events({ ip: "a", shoppers: ["c:1", "v:1"], events: 5 }).allowed).toBe(true)
    expect(l.events({ ip: "a", shoppers: ["v:2"], events: 100 }).allowed).toBe(true)
  })
})
