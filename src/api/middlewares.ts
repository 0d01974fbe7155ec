import { errorHandler, MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewaresConfig } from "@medusajs/medusa"
import {
  clientErrorAnswer,
  DATABASE_RETRY_AFTER_SECONDS,
  internalErrorAnswer,
  isDatabaseUnavailable,
  isUnstorableText,
} from "../errors"
import { rateLimitEvents, rateLimitIdentify, rateLimitRecommendations } from "./helpers/rate-limit-middleware"
import { BODY_DEPTH_ROUTES } from "./helpers/body-depth-limit"

const medusaErrorHandler = errorHandler()

/**
 * Medusa's error handler turns every error it does not know into a 500, body
 * parser errors and a lost database included. A body that is too large or not
 * valid JSON is the client's mistake: answer it with the parser's own 4xx
 * status and a message of ours. A database that cannot be reached is
 * temporary: 503 + Retry-After, so clients and load balancers retry instead of
 * treating it as a bug. No error's own text reaches the client unless the
 * plugin wrote it for the client (a MedusaError of a 4xx type).
 */
function interestErrorHandler(
  err: { status?: number; statusCode?: number; type?: string; message?: string },
  req: MedusaRequest,
  res: MedusaResponse,
  next: MedusaNextFunction
): void {
  const clientError = clientErrorAnswer(err)
  if (clientError) {
    res.status(clientError.status).json({ type: "invalid_data", message: clientError.message })
    return
  }
  if (isUnstorableText(err)) {
    res.status(400).json({ type: "invalid_data", message: "The request contains characters that cannot be stored (such as a NUL byte)." })
    return
  }
  if (isDatabaseUnavailable(err)) {
    req.scope?.resolve<{ warn(m: string): void }>("logger")?.warn(`Database unavailable (${req.method} ${req.path}): ${err?.message}`)
    if (!res.headersSent) {
      res.setHeader("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS))
      res.status(503).json({
        type: "service_unavailable",
        message: "The database is unavailable right now. Retry shortly.",
      })
    }
    return
  }
  const internal = internalErrorAnswer(err)
  if (internal) {
    req.scope?.resolve<{ error(m: unknown): void }>("logger")?.error(err)
    res.status(internal.status).json({ type: internal.type, code: internal.type, message: internal.message })
    return
  }
  medusaErrorHandler(err as Parameters<typeof medusaErrorHandler>[0], req, res, next)
}

type Middleware = (req: unknown, res: unknown, next: unknown) => void

// 100 events of a few hundred bytes each fit comfortably; more is abuse.
const EVENTS_BODY_LIMIT = { sizeLimit: "64kb" }

export const config: MiddlewaresConfig = {
  errorHandler: interestErrorHandler as unknown as MiddlewaresConfig["errorHandler"],
  routes: [
    {
      matcher: "/store/interest/*",
      bodyParser: EVENTS_BODY_LIMIT,
    },
    // Rate limits (the `rateLimit` option): every store route of the plugin
    // has a budget. They run after the body parser and customer auth, so the
    // events limit can count the batch and key on the customer.
    {
      // The first matching entry decides the body parser: same limit here, so
      // reordering the entries cannot lift it.
      matcher: "/store/interest/events",
      method: ["POST"],
      bodyParser: EVENTS_BODY_LIMIT,
      middlewares: [rateLimitEvents as unknown as Middleware],
    },
    {
      matcher: "/store/interest/identify",
      method: ["POST"],
      bodyParser: EVENTS_BODY_LIMIT,
      middlewares: [rateLimitIdentify as unknown as Middleware],
    },
    {
      matcher: "/store/recommendations",
      method: ["GET"],
      middlewares: [rateLimitRecommendations as unknown as Middleware],
    },
    // Last: they set no body parser (see BODY_DEPTH_ROUTES).
    ...BODY_DEPTH_ROUTES,
  ],
}
