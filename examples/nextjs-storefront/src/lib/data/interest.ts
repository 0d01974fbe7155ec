import { cookies, headers } from "next/headers"
import {
  createServerInterestClient,
  RecommendationParams,
  RecommendationsResponse,
  Shopper,
  VISITOR_STORAGE_KEY,
} from "medusa-plugin-interest/client"

// One per server process: it holds no shopper; each call names the shopper of its request.
const interest = createServerInterestClient({
  baseUrl: process.env.NEXT_PUBLIC_MEDUSA_BACKEND_URL || "http://localhost:9000",
  publishableKey: process.env.NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY || undefined,
})

/**
 * The shopper of the request being rendered: the customer's JWT from the
 * httpOnly cookie the login action sets, the visitor id from the cookie the
 * browser client keeps (cookieStorage), and the shopper's address for the
 * plugin's per-address limits (list this server in its `trustedProxies`).
 */
function shopper(): Shopper {
  const jar = cookies()
  const forwardedFor = headers().get("x-forwarded-for")
  return {
    customerToken: jar.get("_medusa_jwt")?.value,
    visitorId: jar.get(VISITOR_STORAGE_KEY)?.value,
    headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
  }
}

/** A carousel's list for the shopper being rendered; null when the plugin cannot answer (the page renders without it). */
export async function getInterestList(params: RecommendationParams): Promise<RecommendationsResponse | null> {
  return interest.getRecommendations(shopper(), params).catch(() => null)
}

/** In the login server action, once the JWT is known: the visitor's anonymous events become the customer's. */
export async function identifyVisitor(customerToken: string): Promise<void> {
  // Personalisation must never break a login.
  await interest.identify({ ...shopper(), customerToken }).catch(() => undefined)
}
