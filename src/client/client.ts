import { InterestClientError } from "./errors"
import { HttpRequest, requestWithRetry } from "./http"
import { EVENTS_PATH, IDENTIFY_PATH, recommendationsUrl, shopperHeaders, trimBaseUrl } from "./routes"
import {
  EventsResponse,
  FetchLike,
  IdentifyResponse,
  InterestClientOptions,
  RecommendationParams,
  RecommendationsResponse,
  TrackEvent,
} from "./types"
import { defaultStorage, isValidVisitorId, loadVisitorId, randomId } from "./visitor-id"

/** An event waiting in the queue, with the id that makes its retries harmless. */
interface QueuedEvent {
  type: TrackEvent["type"]
  product_id: string
  variant_id?: string
  quantity?: number
  recommendation_id?: string
  experiment_id?: string
  arm?: string
  client_event_id: string
  occurred_at?: string
  /** When track() was called, on this device's clock. */
  queuedAt: number
}

export interface InterestClient {
  /**
   * The anonymous visitor id sent with every request (header
   * `x-interest-visitor-id`, and the body of events and identify). Treat it
   * like a session cookie: whoever holds it can read this visitor's history.
   */
  readonly visitorId: string
  /** Queues an event; it is sent with its batch. @return the event's `client_event_id` */
  track(event: TrackEvent): string
  /** Sends every queued event now. Resolves once they are sent or given up on. */
  flush(options?: { keepalive?: boolean }): Promise<void>
  /** Sets (or clears, with null) the customer JWT used from now on. */
  setCustomerToken(token: string | null): void
  /** After login: moves this visitor's anonymous events to the logged-in customer. */
  identify(): Promise<IdentifyResponse>
  getRecommendations(params?: RecommendationParams): Promise<RecommendationsResponse>
  /** Stops the flush timer and page listeners (pending events are flushed first). */
  close(): Promise<void>
}

/** Events older than this when sent carry their own time; fresher ones take the server's clock. */
const STALE_AFTER_MS = 60_000

/**
 * A storefront client for medusa-plugin-interest: batches `track()`ed events to
 * `POST /store/interest/events`, keeps an anonymous visitor id, and reads
 * `GET /store/recommendations`. Runs in browsers and in Node >= 18.
 */
export function createInterestClient(options: InterestClientOptions): InterestClient {
  const fetchFn: FetchLike | undefined = options.fetch ?? (globalThis.fetch ? globalThis.fetch.bind(globalThis) : undefined)
  if (!fetchFn) throw new Error("medusa-plugin-interest client: no fetch available; pass options.fetch.")
  if (typeof options.baseUrl !== "string") throw new Error("medusa-plugin-interest client: baseUrl is required.")
  if (options.visitorId !== undefined && !isValidVisitorId(options.visitorId)) {
    throw new Error("medusa-plugin-interest client: visitorId must be 8-64 characters of A-Z, a-z, 0-9, _ or -.")
  }
  const baseUrl = trimBaseUrl(options.baseUrl)
  const batchSize = clamp(options.batchSize ?? 20, 1, 100)
  const flushIntervalMs = Math.max(0, options.flushIntervalMs ?? 2000)
  const maxQueue = Math.max(batchSize, options.maxQueue ?? 500)
  const storage = options.storage === false ? null : options.storage ?? defaultStorage()
  const visitorId = options.visitorId ?? loadVisitorId(storage)
  const report = (e: Error): void => options.onError?.(e)
  let token: InterestClientOptions["customerToken"] = options.customerToken ?? null

  let queue: QueuedEvent[] = []
  let timer: ReturnType<typeof setTimeout> | null = null
  // One batch in flight at a time keeps events in order and retries simple.
  let sending: Promise<void> = Promise.resolve()

  function headers(json: boolean): Record<string, string> {
    const customerToken = typeof token === "function" ? token() : token
    return shopperHeaders({ visitorId, customerToken, publishableKey: options.publishableKey, json })
  }

  function request<T>(req: Omit<HttpRequest, "headers" | "credentials">): Promise<T> {
    return requestWithRetry<T>(
      fetchFn as FetchLike,
      { ...req, headers: headers(req.body !== undefined), credentials: options.credentials ?? "include" },
      options.retry
    )
  }

  /** @return false when the server could not take the batch and it went back in the queue */
  async function sendBatch(batch: QueuedEvent[], keepalive: boolean): Promise<boolean> {
    const now = Date.now()
    const events = batch.map(({ queuedAt, ...e }) =>
      e.occurred_at || now - queuedAt < STALE_AFTER_MS ? e : { ...e, occurred_at: new Date(queuedAt).toISOString() }
    )
    try {
      const res = await request<EventsResponse>({
        method: "POST",
        url: `${baseUrl}${EVENTS_PATH}`,
        body: { visitor_id: visitorId, events },
        keepalive,
      })
      const rejected = res.results?.filter((r) => r.status === "rejected") ?? []
      if (rejected.length) {
        report(new InterestClientError(`${rejected.length} event(s) rejected: ${rejected.map((r) => r.reason).join("; ")}`, 202, res))
      }
      return true
    } catch (e) {
      const error = e as InterestClientError
      if (error.status === 0 || error.status >= 500 || error.status === 429) {
        // Still unreachable after every retry: keep the events for the next
        // flush; their client_event_ids make a later resend harmless.
        queue = [...batch, ...queue].slice(-maxQueue)
        report(error)
        return false
      }
      // Any other 4xx: the batch itself is wrong and resending cannot help.
      report(error)
      return true
    }
  }

  function flush(opts: { keepalive?: boolean } = {}): Promise<void> {
    if (timer) {
      clearTimeout(timer)
      timer = null
    }
    sending = sending.then(async () => {
      // A batch the server could not take after its retries stays queued for
      // the next flush; the batches behind it would fail the same way.
      while (queue.length) {
        const batch = queue.splice(0, batchSize)
        if (!(await sendBatch(batch, !!opts.keepalive))) break
      }
    })
    return sending
  }

  function schedule(): void {
    if (queue.length >= batchSize) {
      void flush()
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null
        void flush()
      }, flushIntervalMs)
    }
  }

  function track(event: TrackEvent): string {
    if (!event || typeof event.type !== "string" || typeof event.product_id !== "string") {
      throw new Error("track() needs an event with a type and a product_id.")
    }
    const clientEventId = `${visitorId}:${Date.now().toString(36)}:${randomId(10)}`
    const occurredAt = event.occurred_at instanceof Date ? event.occurred_at.toISOString() : event.occurred_at
    queue.push({
      type: event.type,
      product_id: event.product_id,
      ...(event.variant_id ? { variant_id: event.variant_id } : {}),
      ...(event.quantity !== undefined ? { quantity: event.quantity } : {}),
      ...(event.recommendation_id ? { recommendation_id: event.recommendation_id } : {}),
      ...(event.recommendation_id && event.experiment_id ? { experiment_id: event.experiment_id } : {}),
      ...(event.recommendation_id && event.arm ? { arm: event.arm } : {}),
      ...(occurredAt ? { occurred_at: occurredAt } : {}),
      client_event_id: clientEventId,
      queuedAt: Date.now(),
    })
    if (queue.length > maxQueue) {
      queue.splice(0, queue.length - maxQueue)
      report(new Error(`medusa-plugin-interest client: more than ${maxQueue} events queued; the oldest were dropped.`))
    }
    schedule()
    return clientEventId
  }

  // A page being hidden may never come back (tab closed, app switched): send
  // what is queued with keepalive so the request outlives the page.
  const doc = (globalThis as { document?: Document }).document
  const onHide = (): void => {
    if (doc?.visibilityState === "hidden" && queue.length) void flush({ keepalive: true })
  }
  doc?.addEventListener?.("visibilitychange", onHide)

  return {
    visitorId,
    track,
    flush,
    setCustomerToken(next: string | null) {
      token = next
    },
    async identify() {
      // Send the anonymous events first, so they are among the ones moved.
      await flush()
      return request<IdentifyResponse>({
        method: "POST",
        url: `${baseUrl}${IDENTIFY_PATH}`,
        body: { visitor_id: visitorId },
      })
    },
    getRecommendations(params: RecommendationParams = {}) {
      return request<RecommendationsResponse>({ method: "GET", url: recommendationsUrl(baseUrl, params) })
    },
    async close() {
      doc?.removeEventListener?.("visibilitychange", onHide)
      await flush()
    },
  }
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(n)))
}
