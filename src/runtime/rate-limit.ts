/**
 * Fixed-window budgets of the store routes, in memory. Each Medusa instance
 * counts on its own (behind N instances a client gets up to N × a budget):
 * enough to stop one client from flooding the event table or the API, without
 * a shared store on the request path.
 */
import { RateLimitBudgets } from "../options/plugin-options"

/** Past this many keys, keys whose window ended are dropped (oldest first). */
const SWEEP_AT = 10_000
/** Hard cap on keys: past it the oldest windows are forgotten, so memory stays bounded under any load. */
const MAX_KEYS = 200_000

interface Window {
  start: number
  count: number
}

/**
 * A count per key and window. The map is kept in window-start order (a key
 * whose window restarts is re-inserted at the end), so dropping ended windows
 * stops at the first live one and evicting under the hard cap drops the oldest.
 */
export class FixedWindowCounter {
  protected readonly windows_ = new Map<string, Window>()

  constructor(
    protected readonly windowMs_: number,
    protected readonly now_: () => number = Date.now,
    protected readonly maxKeys_: number = MAX_KEYS
  ) {}

  /** The count of `key` in its current window, and the ms until that window ends. */
  peek(key: string): { count: number; resetMs: number } {
    const now = this.now_()
    const w = this.windows_.get(key)
    if (!w || now - w.start >= this.windowMs_) return { count: 0, resetMs: this.windowMs_ }
    return { count: w.count, resetMs: w.start + this.windowMs_ - now }
  }

  /** Adds `amount` to `key`'s current window (starting one when it has none). */
  add(key: string, amount: number): void {
    const now = this.now_()
    const w = this.windows_.get(key)
    if (w && now - w.start < this.windowMs_) {
      w.count += amount
      return
    }
    if (w) this.windows_.delete(key)
    else if (this.windows_.size >= SWEEP_AT) this.sweep_(now)
    this.windows_.set(key, { start: now, count: amount })
  }

  /** Number of keys held (for tests of the memory bound). */
  get size(): number {
    return this.windows_.size
  }

  protected sweep_(now: number): void {
    sweepWindows(this.windows_, now, this.windowMs_, this.maxKeys_)
  }
}

/** The distinct members seen per key and window (the shoppers of one IP). */
export class FixedWindowSets {
  protected readonly windows_ = new Map<string, { start: number; members: Set<string> }>()

  constructor(
    protected readonly windowMs_: number,
    protected readonly now_: () => number = Date.now,
    protected readonly maxKeys_: number = MAX_KEYS
  ) {}

  /** The members of `key`'s current window (empty when it has none), and the ms until it ends. */
  peek(key: string): { members: ReadonlySet<string>; resetMs: number } {
    const now = this.now_()
    const w = this.windows_.get(key)
    if (!w || now - w.start >= this.windowMs_) return { members: new Set(), resetMs: this.windowMs_ }
    return { members: w.members, resetMs: w.start + this.windowMs_ - now }
  }

  add(key: string, members: readonly string[]): void {
    const now = this.now_()
    let w = this.windows_.get(key)
    if (!w || now - w.start >= this.windowMs_) {
      if (w) this.windows_.delete(key)
      else if (this.windows_.size >= SWEEP_AT) this.sweep_(now)
      w = { start: now, members: new Set() }
      this.windows_.set(key, w)
    }
    for (const m of members) w.members.add(m)
  }

  protected sweep_(now: number): void {
    sweepWindows(this.windows_, now, this.windowMs_, this.maxKeys_)
  }
}

/** Which budget a request exceeded, and when it may be tried again. */
export type RateLimitVerdict =
  | { allowed: true }
  | { allowed: false; budget: keyof Omit<RateLimitBudgets, "windowMs">; limit: number; retryAfterMs: number }

/** One batch of events as the limiter sees it. */
export interface EventRequest {
  /** Budget key of the client address (see ipBudgetKey). */
  ip: string
  /** `c:<customer id>` and/or `v:<visitor id>`: each has a budget of its own. */
  shoppers: readonly string[]
  /** Events in the request. */
  events: number
}

/**
 * The budgets of the store routes. A batch of events must fit every budget it
 * falls under: its IP's requests, shoppers and events, and the events of each
 * of its shoppers (customer and visitor alike). A fresh visitor id per request
 * thus still spends its IP's budgets, and a shopper spread over many addresses
 * still spends their own.
 *
 * Every request is counted against its IP's request budget, refused or not, so
 * hammering keeps a client out; events and shoppers are only counted when the
 * request is let through, so a batch too large for what is left can be resent
 * smaller.
 */
export class StoreRateLimiter {
  protected readonly requests_: FixedWindowCounter
  protected readonly events_: FixedWindowCounter
  protected readonly shoppers_: FixedWindowSets

  constructor(protected readonly budgets_: RateLimitBudgets, now: () => number = Date.now) {
    this.requests_ = new FixedWindowCounter(budgets_.windowMs, now)
    this.events_ = new FixedWindowCounter(budgets_.windowMs, now)
    this.shoppers_ = new FixedWindowSets(budgets_.windowMs, now)
  }

  get budgets(): RateLimitBudgets {
    return this.budgets_
  }

  /** Checks and counts one `POST /store/interest/events`. */
  events(req: EventRequest): RateLimitVerdict {
    const b = this.budgets_
    const requests = this.hitRequests_(`events|${req.ip}`, b.eventRequestsPerIp, "eventRequestsPerIp")
    if (!requests.allowed) return requests

    const seen = this.shoppers_.peek(req.ip)
    const fresh = req.shoppers.filter((s) => !seen.members.has(s))
    if (fresh.length && seen.members.size + fresh.length > b.shoppersPerIp) {
      return refuse("shoppersPerIp", b.shoppersPerIp, seen.resetMs)
    }
    const ipEvents = this.events_.peek(`ip|${req.ip}`)
    if (ipEvents.count + req.events > b.eventsPerIp) return refuse("eventsPerIp", b.eventsPerIp, ipEvents.resetMs)
    for (const shopper of req.shoppers) {
      const own = this.events_.peek(`shopper|${shopper}`)
      if (own.count + req.events > b.eventsPerShopper) return refuse("eventsPerShopper", b.eventsPerShopper, own.resetMs)
    }

    if (fresh.length) this.shoppers_.add(req.ip, fresh)
    if (req.events > 0) {
      this.events_.add(`ip|${req.ip}`, req.events)
      for (const shopper of req.shoppers) this.events_.add(`shopper|${shopper}`, req.events)
    }
    return { allowed: true }
  }

  /** Checks and counts one `POST /store/interest/identify` from `ip`. */
  identify(ip: string): RateLimitVerdict {
    return this.hitRequests_(`identify|${ip}`, this.budgets_.identifyPerIp, "identifyPerIp")
  }

  /** Checks and counts one `GET /store/recommendations` from `ip`. */
  recommendations(ip: string): RateLimitVerdict {
    return this.hitRequests_(`recommendations|${ip}`, this.budgets_.recommendationsPerIp, "recommendationsPerIp")
  }

  protected hitRequests_(key: string, limit: number, budget: Exclude<RateLimitVerdict, { allowed: true }>["budget"]): RateLimitVerdict {
    this.requests_.add(key, 1)
    const { count, resetMs } = this.requests_.peek(key)
    return count > limit ? refuse(budget, limit, resetMs) : { allowed: true }
  }
}

function refuse(budget: Exclude<RateLimitVerdict, { allowed: true }>["budget"], limit: number, retryAfterMs: number): RateLimitVerdict {
  return { allowed: false, budget, limit, retryAfterMs }
}

/**
 * Drops the windows that have ended, then the oldest beyond `maxKeys`. A Map
 * iterates in insertion order and a window is re-inserted when it restarts, so
 * the oldest come first and both loops stop at the first one to keep.
 */
function sweepWindows(windows: Map<string, { start: number }>, now: number, windowMs: number, maxKeys: number): void {
  for (const [key, w] of windows) {
    if (now - w.start < windowMs) break
    windows.delete(key)
  }
  for (const key of windows.keys()) {
    if (windows.size < maxKeys) break
    windows.delete(key)
  }
}
