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

/**
 * The 4xx status of an `http-errors` error meant for the client (`expose`):
 * body-parser and zlib raise them for a corrupt gzip body, a bad charset, an
 * aborted upload. Null for anything else.
 */
export function exposedClientStatus(err: unknown): number | null {
  if (!err || typeof err !== "object") return null
  const e = err as ErrorLike
  const status = typeof e.status === "number" ? e.status : typeof e.statusCode === "number" ? e.statusCode : null
  return e.expose === true && status !== null && status >= 400 && status < 500 ? status : null
}
