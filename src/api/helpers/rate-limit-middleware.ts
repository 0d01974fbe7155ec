import { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { InterestPluginOptions } from "../../options/plugin-options"
import { clientIp, compileTrustedProxies, ipBudgetKey, TrustProxy } from "./client-ip"
import { RateLimitVerdict, StoreRateLimiter } from "../../runtime/rate-limit"
import { loggedInCustomerId } from "./subject"

interface LimiterState {
  limiter: StoreRateLimiter | null
  trust: TrustProxy
}

/** One limiter per options object (one per Medusa container). */
const states = new WeakMap<object, LimiterState>()

function stateOf(req: MedusaRequest): LimiterState {
  const options = req.scope.resolve<InterestPluginOptions>("interestOptions")
  let state = states.get(options)
  if (!state) {
    state = {
      limiter: options.rateLimit ? new StoreRateLimiter(options.rateLimit) : null,
      trust: compileTrustedProxies(options.trustedProxies),
    }
    states.set(options, state)
  }
  return state
}

/**
 * The client address of a request: its socket address, or what the
 * `trustedProxies` forwarded (never Express's `req.ip`, which believes any
 * client's X-Forwarded-For under Medusa's `trust proxy`).
 */
export function requestClientIp(req: MedusaRequest): string | undefined {
  return clientIp(req, stateOf(req).trust) ?? undefined
}

/** The IP budget key of a request: its socket address, or what trusted proxies forwarded. */
export function requestIpKey(req: MedusaRequest, trust: TrustProxy): string {
  return ipBudgetKey(clientIp(req, trust) ?? "unknown")
}

/**
 * Every shopper a batch of events names: the logged-in customer and the
 * visitor id (header or body; both when they differ), each budgeted alone.
 */
export function requestShoppers(req: MedusaRequest): string[] {
  const shoppers = new Set<string>()
  const customer = loggedInCustomerId(req)
  if (customer) shoppers.add(`c:${customer}`)
  const header = req.headers?.["x-interest-visitor-id"]
  const body = req.body as { visitor_id?: unknown } | undefined
  for (const v of [Array.isArray(header) ? header[0] : header, body?.visitor_id]) {
    if (typeof v === "string" && v) shoppers.add(`v:${v.slice(0, 64)}`)
  }
  return Array.from(shoppers)
}

/** Events a request carries, as the route will read them (a batch over the limit is refused there anyway). */
function eventCount(req: MedusaRequest, maxBatchSize: number): number {
  const events = (req.body as { events?: unknown } | undefined)?.events
  return Array.isArray(events) ? Math.min(events.length, maxBatchSize) : 0
}

function answer(verdict: RateLimitVerdict, windowMs: number, res: MedusaResponse, next: MedusaNextFunction): void {
  if (verdict.allowed) return next()
  const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000))
  res.setHeader("Retry-After", String(retryAfter))
  res.status(429).json({
    type: "too_many_requests",
    message: `Too many requests: the ${verdict.budget} budget allows ${verdict.limit} per ${windowMs / 1000} s. Retry after ${retryAfter} s.`,
  })
}

/** `POST /store/interest/events`: the IP's requests, shoppers and events, and each shopper's events. */
export function rateLimitEvents(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): void {
  const { limiter, trust } = stateOf(req)
  if (!limiter) return next()
  const maxBatchSize = req.scope.resolve<InterestPluginOptions>("interestOptions").maxBatchSize
  const verdict = limiter.events({ ip: requestIpKey(req, trust), shoppers: requestShoppers(req), events: eventCount(req, maxBatchSize) })
  answer(verdict, limiter.budgets.windowMs, res, next)
}

/** `POST /store/interest/identify`: requests per IP. */
export function rateLimitIdentify(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): void {
  const { limiter, trust } = stateOf(req)
  if (!limiter) return next()
  answer(limiter.identify(requestIpKey(req, trust)), limiter.budgets.windowMs, res, next)
}

/** `GET /store/recommendations`: requests per IP. */
export function rateLimitRecommendations(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): void {
  const { limiter, trust } = stateOf(req)
  if (!limiter) return next()
  answer(limiter.recommendations(requestIpKey(req, trust)), limiter.budgets.windowMs, res, next)
}
