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

type ErrorLike = { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown; errno?: unknown }

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
