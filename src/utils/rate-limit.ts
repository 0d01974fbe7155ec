/**
 * A fixed-window request counter per key, in memory. Each Medusa instance
 * counts on its own (behind N instances a client gets up to N × max): enough to
 * stop one storefront or script from flooding the event queue, without a shared
 * store on the request path.
 */
export interface RateLimitSettings {
  /** Length of one window in milliseconds. */
  windowMs: number
  /** Requests allowed per key and window. */
  max: number
}

export interface RateLimitVerdict {
  allowed: boolean
  /** Requests left in the current window after this one. */
  remaining: number
  /** Milliseconds until the window of this key resets. */
  resetMs: number
}

/** Above this many keys, expired windows are swept so memory stays bounded. */
const SWEEP_THRESHOLD = 10_000

export class FixedWindowRateLimiter {
  protected readonly windows_ = new Map<string, { start: number; count: number }>()

  constructor(protected readonly settings_: RateLimitSettings, protected readonly now_: () => number = Date.now) {}

  /** Counts one request for `key` and says whether it is within the limit. */
  hit(key: string): RateLimitVerdict {
    const now = this.now_()
    const { windowMs, max } = this.settings_
    let window = this.windows_.get(key)
    if (!window || now - window.start >= windowMs) {
      if (!window && this.windows_.size >= SWEEP_THRESHOLD) this.sweep(now)
      window = { start: now, count: 0 }
      this.windows_.set(key, window)
    }
    window.count += 1
    const resetMs = Math.max(0, window.start + windowMs - now)
    return { allowed: window.count <= max, remaining: Math.max(0, max - window.count), resetMs }
  }

  protected sweep(now: number): void {
    for (const [key, w] of this.windows_) {
      if (now - w.start >= this.settings_.windowMs) this.windows_.delete(key)
    }
  }
}
