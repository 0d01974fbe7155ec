import { DEFAULT_RATE_LIMIT } from "../plugin-options"
import { resolveOptions } from "../resolve-options"

describe("resolveOptions: rateLimit and trustedProxies", () => {
  it("turns the limits on by default, trusting no proxy", () => {
    const o = resolveOptions({})
    expect(o.rateLimit).toEqual(DEFAULT_RATE_LIMIT)
    expect(o.trustedProxies).toEqual([])
  })

  it("replaces the budgets it is given one by one, and turns every limit off with false", () => {
    expect(resolveOptions({ rateLimit: { eventsPerIp: 20000 } }).rateLimit).toEqual({ ...DEFAULT_RATE_LIMIT, eventsPerIp: 20000 })
    expect(resolveOptions({ rateLimit: false }).rateLimit).toBe(false)
    expect(resolveOptions({ trustedProxies: ["127.0.0.1", "10.0.0.0/8", "uniquelocal"] }).trustedProxies).toHaveLength(3)
  })

  it("refuses bad budgets with a message naming them", () => {
    expect(() => resolveOptions({ rateLimit: true })).toThrow(/rateLimit must be false or an object of budgets/)
    expect(() => resolveOptions({ rateLimit: { windowMs: 0 } })).toThrow(/rateLimit\.windowMs must be a whole number >= 1/)
    expect(() => resolveOptions({ rateLimit: { eventsPerIp: 1.5 } })).toThrow(/rateLimit\.eventsPerIp must be a whole number/)
    // The old single `max` is gone: say so rather than ignore it.
    expect(() => resolveOptions({ rateLimit: { windowMs: 1000, max: 5 } })).toThrow(/rateLimit\.max is not an option/)
    expect(() => resolveOptions({ rateLimit: { eventsPerShopper: 50 } })).toThrow(/eventsPerShopper must be at least maxBatchSize \(100\)/)
    expect(() => resolveOptions({ rateLimit: { eventsPerShopper: 50 }, maxBatchSize: 50 })).not.toThrow()
  })

  it("refuses a trustedProxies entry that is no address or range", () => {
    expect(() => resolveOptions({ trustedProxies: "10.0.0.0/8" })).toThrow(/trustedProxies must be an array/)
    expect(() => resolveOptions({ trustedProxies: ["proxy.internal"] })).toThrow(/"proxy.internal" is not an IP address/)
  })
})
