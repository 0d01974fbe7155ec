import { errorHandler, MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewaresConfig } from "@medusajs/medusa"
import { exposedClientStatus, isUnstorableText } from "../utils/error-client-data"
import { DATABASE_RETRY_AFTER_SECONDS, isDatabaseUnavailable } from "../utils/error-database-unavailable"
import { rateLimitEvents } from "../utils/rate-limit-middleware"

const medusaErrorHandler = errorHandler()

/**
 * Medusa's error handler turns every error it does not know into a 500, body
 * parser errors and a lost database included. A body that is too large or not
 * valid JSON is the client's mistake: answer it with the parser's own 4xx
 * status. A database that cannot be reached is temporary: 503 + Retry-After,
 * so clients and load balancers retry instead of treating it as a bug.
 */
function interestErrorHandler(
  err: { status?: number; statusCode?: number; type?: string; message?: string },
  req: MedusaRequest,
  res: MedusaResponse,
  next: MedusaNextFunction
): void {
  const status = err?.status ?? err?.statusCode
  if (typeof status === "number" && status >= 400 && status < 500 && String(err.type ?? "").startsWith("entity.")) {
    const message =
      err.type === "entity.too.large"
        ? "The request body is too large."
        : err.type === "entity.parse.failed"
          ? "The request body is not valid JSON."
          : `The request body could not be read (${err.type}).`
    res.status(status).json({ type: "invalid_data", message })
    return
  }
  if (err?.type === "charset.unsupported" || err?.type === "encoding.unsupported") {
    res.status(415).json({ type: "invalid_data", message: "Unsupported body encoding." })
    return
  }
  const clientStatus = exposedClientStatus(err)
  if (clientStatus !== null) {
    res.status(clientStatus).json({ type: "invalid_data", message: `The request could not be read: ${err.message ?? "bad request"}.` })
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
  medusaErrorHandler(err as Parameters<typeof medusaErrorHandler>[0], req, res, next)
}

// 100 events of a few hundred bytes each fit comfortably; more is abuse.
const EVENTS_BODY_LIMIT = { sizeLimit: "64kb" }

export const config: MiddlewaresConfig = {
  errorHandler: interestErrorHandler as unknown as MiddlewaresConfig["errorHandler"],
  routes: [
    {
      matcher: "/store/interest/*",
      bodyParser: EVENTS_BODY_LIMIT,
    },
    {
      // The first matching entry decides the body parser: same limit here, so
      // reordering the entries cannot lift it.
      // Runs after the body parser and customer auth, so it can key on both.
      matcher: "/store/interest/events",
      method: ["POST"],
      bodyParser: EVENTS_BODY_LIMIT,
      middlewares: [rateLimitEvents as unknown as (req: unknown, res: unknown, next: unknown) => void],
    },
  ],
}
