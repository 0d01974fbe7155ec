/**
 * How errors raised below the route handlers become answers: what the client
 * sent wrong (4xx), a database that cannot be reached (503), and everything else.
 */

type ErrorLike = {
  code?: unknown
  message?: unknown
  driverError?: unknown
  cause?: unknown
  errno?: unknown
  status?: unknown
  statusCode?: unknown
  expose?: unknown
}

/**
 * SQLSTATEs of text Postgres cannot store or compare: 22021 (a NUL byte or bad
 * UTF-8, e.g. `%00` in an id) and 22P05 (untranslatable character). The value
 * is the client's, so it is a 400, not a server fault.
 */
const UNSTORABLE_TEXT = new Set(["22021", "22P05"])

export function isUnstorableText(err: unknown): boolean {
  if (!err || typeof err !== "object") return false
  const e = err as ErrorLike
  const code = typeof e.code === "string" ? e.code : ""
  const driver = e.driverError as ErrorLike | undefined
  const driverCode = typeof driver?.code === "string" ? driver.code : ""
  return UNSTORABLE_TEXT.has(code) || UNSTORABLE_TEXT.has(driverCode)
}

/** Plain answers to the body parser's errors, by `type`: their own messages name parser internals. */
const BODY_ERROR_MESSAGES: Record<string, string> = {
  "entity.too.large": "The request body is too large.",
  "entity.parse.failed": "The request body is not valid JSON.",
  "entity.aborted": "The request body was not received completely.",
  "entity.verify.failed": "The request body could not be verified.",
  "request.size.invalid": "The request body does not have the length its Content-Length header says.",
  "parameters.too.many": "The request body has too many parameters.",
  "querystring.parse.rangeError": "The request body is nested too deeply.",
  "charset.unsupported": "Unsupported body encoding (charset).",
  "encoding.unsupported": "Unsupported body encoding (Content-Encoding).",
}

/**
 * The status and a plain message for an `http-errors` error meant for the
 * client (`expose`, 4xx): body-parser, raw-body and zlib raise them for a body
 * that is too large, not JSON, a corrupt gzip stream, a bad charset, an
 * aborted upload. The error's own message (zlib's "incorrect header check",
 * iconv's names) never reaches the client. Null for any other error.
 */
export function clientErrorAnswer(err: unknown): { status: number; message: string } | null {
  if (!err || typeof err !== "object") return null
  const e = err as ErrorLike & { type?: unknown }
  const status = typeof e.status === "number" ? e.status : typeof e.statusCode === "number" ? e.statusCode : null
  if (e.expose !== true || status === null || status < 400 || status >= 500) return null
  const known = typeof e.type === "string" ? BODY_ERROR_MESSAGES[e.type] : undefined
  const compressed = typeof e.code === "string" && e.code.startsWith("Z_")
  const message = known ?? (compressed ? "The request body could not be decompressed." : "The request body could not be read.")
  return { status, message }
}

/**
 * Medusa's error handler answers these MedusaError types with a 500 that
 * carries the error's own message (a query, an id, a stack detail).
 */
const SERVER_ERROR_TYPES = new Set(["database_error", "unexpected_state", "invalid_argument"])

/**
 * Constraint violations Medusa's handler rewrites into messages naming the
 * table, column and key (`Interest_event with client_event_id x already
 * exists`). They happen when two requests race on the same row or point at a
 * row deleted meanwhile: a 4xx, in plain words.
 */
const CONSTRAINT_ANSWERS: Record<string, { status: number; message: string }> = {
  "23505": { status: 409, message: "The request conflicted with another request. Retry it." },
  "23503": { status: 409, message: "The request refers to something that no longer exists." },
  "23502": { status: 400, message: "The request is missing a required value." },
}

/**
 * A plain answer for an error whose own text must not reach the client
 * (Medusa's handler would send it), or null to let Medusa's handler answer:
 * its unknown errors already get a plain "An unknown error occurred.".
 */
export function internalErrorAnswer(err: unknown): { status: number; type: string; message: string } | null {
  if (!err || typeof err !== "object") return null
  const e = err as ErrorLike & { type?: unknown }
  if (typeof e.type === "string" && SERVER_ERROR_TYPES.has(e.type)) {
    return { status: 500, type: "unknown_error", message: "An unknown error occurred." }
  }
  const code = typeof e.code === "string" ? e.code : ""
  const answer = CONSTRAINT_ANSWERS[code]
  return answer ? { ...answer, type: answer.status === 409 ? "conflict" : "invalid_data" } : null
}

/**
 * Errors that mean "the database cannot be reached right now" (a restart, a
 * failover, a network cut), as opposed to a bad query. Clients should retry
 * those later, so they are answered with 503 instead of Medusa's generic 500.
 */

/** Socket-level failures of the pg driver while connecting or mid-query. */
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"])

/**
 * SQLSTATEs of a server that is going away or not accepting connections:
 * class 08 (connection exception), 57P01-57P03 (shutdown / starting up),
 * 53300 (too many connections).
 */
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"])

/** Messages pg and pg-pool throw without a code when the connection dies. */
const MESSAGES = [
  "Connection terminated",
  "connection terminated",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error",
  "Connection ended unexpectedly",
  "server closed the connection unexpectedly",
]

/** True when `err` (or the driver error / cause it wraps) says the database is unreachable. */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 4) return false
  const e = err as ErrorLike
  const code = typeof e.code === "string" ? e.code : ""
  if (NETWORK_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true
  const message = typeof e.message === "string" ? e.message : ""
  if (MESSAGES.some((m) => message.includes(m))) return true
  return isDatabaseUnavailable(e.driverError, depth + 1) || isDatabaseUnavailable(e.cause, depth + 1)
}

/** Seconds a client should wait before retrying after a 503. */
export const DATABASE_RETRY_AFTER_SECONDS = 5
