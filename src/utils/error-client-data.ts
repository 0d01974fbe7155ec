/**
 * Errors caused by what the client sent, raised below the route handlers where
 * Medusa's error handler would call them a 500.
 */

type ErrorLike = { code?: unknown; driverError?: unknown; status?: unknown; statusCode?: unknown; expose?: unknown }

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
