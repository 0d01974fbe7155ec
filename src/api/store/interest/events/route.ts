import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { creditsList, UNATTRIBUTED_REASON } from "./attribution"
import { checkEnvelope, checkEvent } from "./validate-events"
import InterestEventService, { generateId } from "../../../../services/interest-event"
import { CapturedEvent, visitorSubject } from "../../../../types/events"
import { InterestPluginOptions } from "../../../../options/plugin-options"
import { DATABASE_RETRY_AFTER_SECONDS } from "../../../../errors"
import { GroupCommitError } from "../../../../runtime/event-group-commit"
import { clientSource } from "../../../helpers/client-source"
import { requestClientIp } from "../../../helpers/rate-limit-middleware"
import { resolveSalesChannelId } from "../../../helpers/sales-channel"
import { loggedInCustomerId } from "../../../helpers/subject"

type EventResult = {
  index: number
  status: "accepted" | "duplicate" | "rejected" | "ignored"
  id?: string
  client_event_id?: string
  reason?: string
  /** Given for an event that carried a recommendation_id: whether it was kept for attribution. */
  attributed?: boolean
}

/**
 * Records storefront behaviour. Each event is checked on its own: bad ones are
 * rejected with their reason, good ones are stored and accepted (202). A
 * request with no good event is a 400. A recommendation_id is kept only when
 * it names a list served to this shopper that showed the event's product;
 * otherwise the event is stored without it (`attributed: false`). The 202
 * comes once the events are committed; when they could not be, a 503.
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  if (!req.is("application/json")) {
    res.status(415).json({ type: "invalid_data", message: "Content-Type must be application/json." })
    return
  }
  const options = req.scope.resolve<InterestPluginOptions>("interestOptions")
  const eventService = req.scope.resolve<InterestEventService>("interestEventService")

  let parsed: ReturnType<typeof checkEnvelope>
  try {
    parsed = checkEnvelope(req.body, options.maxBatchSize)
  } catch (e) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, (e as Error).message)
  }
  const { envelope, rawEvents } = parsed
  const customerId = loggedInCustomerId(req)
  const visitorId = envelope.visitor_id ?? null
  if (!customerId && !visitorId) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "visitor_id is required when no customer is logged in."
    )
  }
  const salesChannelId = await resolveSalesChannelId(req)
  const source = clientSource(req, requestClientIp(req))

  const now = new Date()
  const checks = rawEvents.map((raw) => checkEvent(raw, now, options.maxEventAgeDays))
  const productIds = checks.flatMap((c) => (c.ok ? [c.event.product_id] : []))
  const clientIds = checks.flatMap((c) => (c.ok && c.event.client_event_id ? [c.event.client_event_id] : []))
  const variantIds = checks.flatMap((c) => (c.ok && c.event.variant_id ? [c.event.variant_id] : []))
  const listIds = checks.flatMap((c) => (c.ok && c.event.recommendation_id ? [c.event.recommendation_id] : []))
  const [products, variants, lists, stored, optedOut, owner] = await Promise.all([
    eventService.existingProductIds(Array.from(new Set(productIds))),
    eventService.productsOfVariants(Array.from(new Set(variantIds))),
    eventService.servedLists(Array.from(new Set(listIds))),
    eventService.existingClientEventIds(Array.from(new Set(clientIds))),
    eventService.listOptedOut([customerId, visitorId && visitorSubject(visitorId)].filter((s): s is string => !!s)),
    // The events of a visitor id identified into a customer are stored as that
    // customer's, so they credit the customer's lists too: a storefront that
    // keeps the customer's token in an httpOnly cookie (the Next.js starter)
    // fetches lists on its server with the token, while the browser sends
    // clicks with the visitor id alone.
    !customerId && visitorId && listIds.length ? eventService.customerOfVisitor(visitorId) : Promise.resolve(customerId),
  ])
  const ignored = (customerId && optedOut.has(customerId)) || (visitorId && optedOut.has(visitorSubject(visitorId)))

  const seen = new Set<string>()
  const accepted: CapturedEvent[] = []
  const results: EventResult[] = checks.map((check, index) => {
    if (!check.ok) {
      return { index, status: "rejected", reason: check.reason }
    }
    const e = check.event
    if (!products.has(e.product_id)) {
      return { index, status: "rejected", reason: `product ${e.product_id} does not exist` }
    }
    if (e.variant_id && variants.get(e.variant_id) !== e.product_id) {
      const reason = variants.has(e.variant_id)
        ? `variant ${e.variant_id} is not a variant of product ${e.product_id}`
        : `variant ${e.variant_id} does not exist`
      return { index, status: "rejected", reason }
    }
    const id = generateId()
    const clientEventId = e.client_event_id ?? id
    if (stored.has(clientEventId) || seen.has(clientEventId)) {
      return { index, status: "duplicate", client_event_id: clientEventId }
    }
    seen.add(clientEventId)
    if (ignored) {
      return { index, status: "ignored", reason: "this shopper opted out of interest tracking" }
    }
    const attributed = e.recommendation_id ? creditsList(lists.get(e.recommendation_id), owner, visitorId, e.product_id, e) : null
    accepted.push({
      id,
      customer_id: customerId,
      visitor_id: visitorId,
      product_id: e.product_id,
      variant_id: e.variant_id ?? null,
      type: e.type,
      sales_channel_id: salesChannelId,
      quantity: e.quantity ?? 1,
      occurred_at: check.occurredAt.toISOString(),
      client_event_id: clientEventId,
      source_order_id: null,
      recommendation_id: attributed ? (e.recommendation_id as string) : null,
      metadata: null,
      client_source: source,
    })
    const attribution = attributed === null ? {} : attributed ? { attributed } : { attributed, reason: UNATTRIBUTED_REASON }
    return { index, status: "accepted", id, client_event_id: clientEventId, ...attribution }
  })

  const count = (status: EventResult["status"]): number => results.filter((r) => r.status === status).length
  const summary = {
    accepted: accepted.length,
    duplicates: count("duplicate"),
    rejected: count("rejected"),
    ignored: count("ignored"),
    results,
  }
  if (summary.rejected === results.length) {
    res.status(400).json({
      type: "invalid_data",
      message: `No event was accepted: ${results.map((r) => `events[${r.index}]: ${r.reason}`).join("; ")}`,
      ...summary,
    })
    return
  }
  // Written before the 202, not through the event bus: Medusa v1's Redis bus
  // worker starts consuming before subscribers are registered, so jobs waiting
  // at a restart were completed with no subscriber and their events lost.
  // Group-committed with concurrent requests: the 202 waits for the flush
  // holding these rows, and a failed flush fails exactly its requests.
  try {
    await eventService.recordGrouped(accepted)
  } catch (e) {
    if (!(e instanceof GroupCommitError)) throw e
    req.scope.resolve<{ warn(m: string): void }>("logger").warn(`Events not stored (${e.reason}): ${(e.cause as Error | undefined)?.message ?? e.message}`)
    res.setHeader("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS))
    res.status(503).json({ type: "service_unavailable", message: `${e.message} Retry shortly.` })
    return
  }
  res.status(202).json(summary)
}
