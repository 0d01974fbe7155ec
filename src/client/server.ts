import { requestWithRetry } from "./http"
import { IDENTIFY_PATH, recommendationsUrl, shopperHeaders, trimBaseUrl } from "./routes"
import {
  FetchLike,
  IdentifyResponse,
  RecommendationParams,
  RecommendationsResponse,
  RetryOptions,
  ServerInterestClientOptions,
  Shopper,
} from "./types"
import { isValidVisitorId } from "./visitor-id"

export interface ServerInterestClient {
  /** The shopper's list, read with their own token and visitor id. */
  getRecommendations(shopper: Shopper, params?: RecommendationParams): Promise<RecommendationsResponse>
  /**
   * After login (e.g. in the login server action): moves the visitor's
   * anonymous events to the customer whose token is given. Rejects without a
   * request when the visitor id is missing or one the server would refuse.
   */
  identify(shopper: Shopper & { customerToken: string }): Promise<IdentifyResponse>
}

const SERVER_RETRY: Required<RetryOptions> = { attempts: 2, baseDelayMs: 200, maxDelayMs: 1000 }

/**
 * The client for a storefront's server, which renders for many shoppers: it
 * holds no shopper of its own (no visitor id, no token, no queue), so one
 * instance per process is safe, and every call names its shopper. Its reads
 * are never cached by the server's fetch (`cache: "no-store"`): a list is one
 * shopper's, and its `recommendation_id` is new every time.
 */
export function createServerInterestClient(options: ServerInterestClientOptions): ServerInterestClient {
  const fetchFn: FetchLike | undefined = options.fetch ?? (globalThis.fetch ? globalThis.fetch.bind(globalThis) : undefined)
  if (!fetchFn) throw new Error("medusa-plugin-interest server client: no fetch available; pass options.fetch.")
  if (typeof options.baseUrl !== "string") throw new Error("medusa-plugin-interest server client: baseUrl is required.")
  const baseUrl = trimBaseUrl(options.baseUrl)
  const retry = { ...SERVER_RETRY, ...options.retry }

  // A cookie is the shopper's to change: a bad visitor id means none, not a failed page.
  const headersFor = (shopper: Shopper, json: boolean): Record<string, string> =>
    shopperHeaders({
      visitorId: isValidVisitorId(shopper.visitorId) ? shopper.visitorId : null,
      customerToken: shopper.customerToken,
      publishableKey: options.publishableKey,
      extra: shopper.headers,
      json,
    })

  return {
    getRecommendations(shopper, params = {}) {
      return requestWithRetry<RecommendationsResponse>(
        fetchFn,
        { method: "GET", url: recommendationsUrl(baseUrl, params), headers: headersFor(shopper, false), cache: "no-store" },
        retry
      )
    },
    async identify(shopper) {
      if (!isValidVisitorId(shopper.visitorId)) {
        throw new Error("medusa-plugin-interest server client: identify needs the shopper's visitor id (8-64 characters of A-Z, a-z, 0-9, _ or -).")
      }
      if (!shopper.customerToken) throw new Error("medusa-plugin-interest server client: identify needs the customer's token.")
      return requestWithRetry<IdentifyResponse>(
        fetchFn,
        {
          method: "POST",
          url: `${baseUrl}${IDENTIFY_PATH}`,
          headers: headersFor(shopper, true),
          body: { visitor_id: shopper.visitorId },
          cache: "no-store",
        },
        retry
      )
    },
  }
}
