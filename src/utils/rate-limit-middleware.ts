import { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { InterestPluginOptions } from "../types/options"
import { FixedWindowRateLimiter } from "./rate-limit"
import { loggedInCustomerId } from "./subject"

/** One limiter per options object (one per Medusa container). */
const limiters = new WeakMap<object, FixedWindowRateLimiter>()

/**
 * Who is asking: the client IP together with the logged-in customer, else the
 * visitor id of the body. A storefront server that relays many shoppers from
 * one IP is thus limited per shopper, not as a whole.
 */
function clientKey(req: MedusaRequest): string {
  const body = req.body as { visitor_id?: unknown } | undefined
  const visitor = typeof body?.visitor_id === "string" ? body.visitor_id.slice(0, 64) : ""
  const subject = loggedInCustomerId(req) ?? (visitor ? `v:${visitor}` : "-")
  return `${req.ip ?? "?"}|${subject}`
}

/**
 * Answers 429 with Retry-After when a client sends more requests than the
 * plugin's `rateLimit` option allows; does nothing when the option is off.
 */
export function rateLimitEvents(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): void {
  const options = req.scope.resolve<InterestPluginOptions>("interestOptions")
  const settings = options.rateLimit
  if (!settings) return next()
  let limiter = limiters.get(options)
  if (!limiter) {
    limiter = new FixedWindowRateLimiter(settings)
    limiters.set(options, limiter)
  }
  const verdict = limiter.hit(clientKey(req))
  res.setHeader("RateLimit-Limit", String(settings.max))
  res.setHeader("RateLimit-Remaining", String(verdict.remaining))
  if (verdict.allowed) return next()
  const retryAfter = Math.max(1, Math.ceil(verdict.resetMs / 1000))
  res.setHeader("Retry-After", String(retryAfter))
  res.status(429).json({
    type: "too_many_requests",
    message: `Too many event requests: at most ${settings.max} per ${settings.windowMs} ms. Retry after ${retryAfter} s.`,
  })
}
