import { InterestClientError } from "./errors"
import { FetchLike, RetryOptions } from "./types"

export interface HttpRequest {
  method: "GET" | "POST"
  url: string
  headers: Record<string, string>
  body?: unknown
  credentials?: RequestCredentials
  /** Lets a request outlive the page (sent while it unloads). */
  keepalive?: boolean
  /** The fetch cache mode; "no-store" keeps a server's fetch cache (Next.js's) out of it. */
  cache?: RequestCache
}

const DEFAULT_RETRY: Required<RetryOptions> = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 }

/**
 * Sends a request, retrying what may succeed later: network errors, 5xx and
 * 429. A 4xx other than 429 is the request's own fault and is never retried.
 * The caller must make retries harmless (events carry a `client_event_id`).
 * @return the parsed JSON body of the 2xx answer
 */
export async function requestWithRetry<T>(fetchFn: FetchLike, req: HttpRequest, retry: RetryOptions = {}): Promise<T> {
  const policy = { ...DEFAULT_RETRY, ...retry }
  for (let attempt = 1; ; attempt++) {
    let res: Response
    try {
      res = await fetchFn(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        credentials: req.credentials,
        keepalive: req.keepalive,
        cache: req.cache,
      })
    } catch (e) {
      if (attempt >= policy.attempts) {
        throw new InterestClientError(`${req.method} ${req.url} failed: ${(e as Error).message}`, 0)
      }
      await sleep(backoffMs(attempt, policy))
      continue
    }
    const body = await readBody(res)
    if (res.ok) return body as T
    const retryable = res.status >= 500 || res.status === 429
    if (!retryable || attempt >= policy.attempts) {
      const message = isRecord(body) && typeof body.message === "string" ? body.message : res.statusText
      throw new InterestClientError(`${req.method} ${req.url} answered ${res.status}: ${message}`, res.status, body)
    }
    const after = retryAfterMs(res.headers.get("retry-after"), Date.now())
    await sleep(Math.min(after ?? backoffMs(attempt, policy), policy.maxDelayMs))
  }
}

/** Exponential backoff with "full jitter", so many storefront tabs do not retry in step. */
export function backoffMs(attempt: number, policy: Required<RetryOptions>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2)
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function retryAfterMs(header: string | null, now: number): number | null {
  if (!header) return null
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? null : Math.max(0, date - now)
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text().catch(() => "")
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null
}
