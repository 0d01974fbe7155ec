import { generateEntityId, OrderService, TransactionBaseService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import { EntityManager } from "typeorm"
import { CapturedEvent, visitorSubject } from "../types/events"
import { eventGroupCommit } from "../runtime/event-group-commit"
import { impressionBuffer } from "../runtime/impression-buffer"
import { CatalogRepository } from "../repositories/catalog"
import { InterestEventRepository } from "../repositories/interest-event"
import { InterestImpressionRepository, ServedList } from "../repositories/interest-impression"
import { InterestOptOutRepository } from "../repositories/interest-opt-out"
import { InterestVisitorLinkRepository } from "../repositories/interest-visitor-link"

export type { ServedList }

type InjectedDependencies = {
  manager: EntityManager
  orderService: OrderService
  catalogRepository: typeof CatalogRepository
  interestEventRepository: typeof InterestEventRepository
  interestImpressionRepository: typeof InterestImpressionRepository
  interestOptOutRepository: typeof InterestOptOutRepository
  interestVisitorLinkRepository: typeof InterestVisitorLinkRepository
  logger: { info(m: string): void }
}

/** Orders this recent are checked for missing purchases (older ones were trained on long ago). */
const RECONCILE_DAYS = 30
/** Orders caught up per call: a backlog is worked off over the next calls, never in one long pass. */
const RECONCILE_BATCH = 500

/**
 * Writes and reads captured behaviour (the `interest_event` table), and keeps
 * the promises of capture: each client event id is stored once, opted-out
 * customers are never stored, a visitor's events follow them when they log in.
 */
class InterestEventService extends TransactionBaseService {
  protected readonly orderService_: OrderService
  protected readonly logger_: InjectedDependencies["logger"]

  protected readonly catalogRepository_: typeof CatalogRepository
  protected readonly interestEventRepository_: typeof InterestEventRepository
  protected readonly interestImpressionRepository_: typeof InterestImpressionRepository
  protected readonly interestOptOutRepository_: typeof InterestOptOutRepository
  protected readonly interestVisitorLinkRepository_: typeof InterestVisitorLinkRepository

  constructor(container: InjectedDependencies) {
    // eslint-disable-next-line prefer-rest-params
    super(arguments[0])
    this.orderService_ = container.orderService
    this.logger_ = container.logger
    this.catalogRepository_ = container.catalogRepository
    this.interestEventRepository_ = container.interestEventRepository
    this.interestImpressionRepository_ = container.interestImpressionRepository
    this.interestOptOutRepository_ = container.interestOptOutRepository
    this.interestVisitorLinkRepository_ = container.interestVisitorLinkRepository
  }

  /**
   * Stores events, skipping opted-out subjects and client event ids already stored.
   * @param events - events to store
   * @return how many rows were inserted
   */
  async record(events: CapturedEvent[]): Promise<number> {
    if (!events.length) {
      return 0
    }
    return await this.atomicPhase_(async (manager) => {
      // An anonymous event of a visitor id identified into a customer is that customer's.
      const anonymous = Array.from(new Set(events.flatMap((e) => (!e.customer_id && e.visitor_id ? [e.visitor_id] : []))))
      const owner = await manager.withRepository(this.interestVisitorLinkRepository_).ownersOf(anonymous)
      events = events.map((e) => (!e.customer_id && e.visitor_id && owner.has(e.visitor_id) ? { ...e, customer_id: owner.get(e.visitor_id) as string } : e))
      const optedOut = await manager.withRepository(this.interestOptOutRepository_).optedOut(
        events.flatMap((e) => [e.customer_id, e.visitor_id && visitorSubject(e.visitor_id)]).filter((s): s is string => !!s)
      )
      // A group-committed flush holds several requests' rows: a client event id two of them sent at once is kept once.
      const seen = new Set<string>()
      const keep = events.filter((e) => {
        if ((e.customer_id && optedOut.has(e.customer_id)) || (e.visitor_id && optedOut.has(visitorSubject(e.visitor_id)))) return false
        if (seen.has(e.client_event_id)) return false
        seen.add(e.client_event_id)
        return true
      })
      return await manager.withRepository(this.interestEventRepository_).insertMany(keep)
    })
  }

  /**
   * Stores one request's events with those of concurrent requests, one
   * transaction per flush (runtime/event-group-commit.ts) running `record`
   * over the flush's rows, so every check of `record` holds across requests.
   * @param events - the request's accepted events
   * @return resolves once the flush holding them committed; rejects with a
   *   GroupCommitError when it failed (nothing of the request is stored) or
   *   missed its deadline (it may still commit late: a retry's client event ids make it a duplicate)
   */
  async recordGrouped(events: CapturedEvent[]): Promise<void> {
    await eventGroupCommit<CapturedEvent>((rows) => this.record(rows)).add(events)
  }

  /**
   * Turns a placed order into one purchase event per line item. Idempotent: the
   * client event id is derived from the order and the line item.
   * @param orderId - the placed order
   * @return how many rows were inserted
   */
  async recordOrder(orderId: string): Promise<number> {
    const order = await this.orderService_
      .withTransaction(this.activeManager_)
      .retrieve(orderId, { relations: ["items", "items.variant"] })
    if (!order.customer_id) {
      return 0
    }
    const events: CapturedEvent[] = []
    for (const item of order.items ?? []) {
      const productId = item.variant?.product_id
      if (!productId) {
        continue // custom line items have no product to learn from
      }
      events.push({
        id: generateId(),
        customer_id: order.customer_id,
        visitor_id: null,
        client_source: null,
        product_id: productId,
        variant_id: item.variant_id ?? null,
        type: "purchase",
        sales_channel_id: order.sales_channel_id ?? null,
        quantity: Math.max(1, item.quantity),
        occurred_at: new Date(order.created_at).toISOString(),
        client_event_id: `order:${order.id}:${item.id}`,
        source_order_id: order.id,
        recommendation_id: null,
        metadata: null,
      })
    }
    return await this.record(events)
  }

  /**
   * Records the purchases of recent orders that have none. Medusa v1's Redis
   * event bus can consume `order.placed` jobs that were waiting at a restart
   * before any subscriber is registered, and completes them with nothing done;
   * the order table itself is the record that cannot be lost, so purchases are
   * caught up from it (at boot and before every training run). Idempotent like
   * the subscriber, so running it beside the subscriber or on several instances
   * adds nothing twice.
   * @param sinceDays - how far back to look for orders without purchases
   * @return orders caught up and purchase rows inserted
   */
  async reconcileOrders(sinceDays = RECONCILE_DAYS): Promise<{ orders: number; events: number }> {
    const orders = await this.activeManager_
      .withRepository(this.interestEventRepository_)
      .ordersWithoutPurchases(sinceDays, RECONCILE_BATCH)
    let events = 0
    for (const id of orders) {
      events += await this.recordOrder(id)
    }
    if (orders.length) {
      this.logger_.info(
        `medusa-plugin-interest: recorded ${events} purchase(s) of ${orders.length} order(s) whose order.placed was not delivered`
      )
    }
    return { orders: orders.length, events }
  }

  /**
   * Identifies a visitor id into the logged-in customer: the visitor id is
   * linked to that customer, once and for good (interest_visitor_link), and its
   * anonymous events become the customer's. From then on the visitor id serves
   * nothing anonymously, and its later anonymous events are stored as the
   * customer's.
   *   - linked to another customer: CONFLICT (409), nothing changes;
   *   - linked to this customer already: idempotent, moves anonymous events
   *     that arrived unlinked since (normally none);
   *   - the customer or the visitor id opted out (erased): nothing changes, 0 moved.
   * @param customerId - the logged-in customer
   * @param visitorId - the storefront's anonymous visitor id
   * @return how many events moved
   */
  async identify(customerId: string, visitorId: string): Promise<number> {
    return await this.atomicPhase_(async (manager) => {
      await manager.withRepository(this.interestVisitorLinkRepository_).lockCustomer(customerId)
      const optedOut = await manager.withRepository(this.interestOptOutRepository_).optedOut([customerId, visitorSubject(visitorId)])
      if (optedOut.size) {
        // Not captured means not linked either; and never a way to touch another visitor's rows.
        return 0
      }
      // A concurrent identify of the same visitor id waits here for the other to commit.
      const owner = await manager.withRepository(this.interestVisitorLinkRepository_).link(visitorId, customerId)
      if (owner !== customerId) {
        throw new MedusaError(MedusaError.Types.CONFLICT, "This visitor id is already identified with another customer.")
      }
      return await manager.withRepository(this.interestEventRepository_).moveAnonymousToCustomer(visitorId, customerId)
    })
  }

  /**
   * @param productIds - ids to check
   * @return the subset that are existing, not deleted products
   */
  async existingProductIds(productIds: string[]): Promise<Set<string>> {
    return await this.activeManager_.withRepository(this.catalogRepository_).existingProductIds(productIds)
  }

  /**
   * @param clientEventIds - ids to check
   * @return the subset already stored
   */
  async existingClientEventIds(clientEventIds: string[]): Promise<Set<string>> {
    return await this.activeManager_.withRepository(this.interestEventRepository_).storedClientEventIds(clientEventIds)
  }

  /**
   * @param subjectIds - customer ids and visitor subjects (types/events.ts `visitorSubject`)
   * @return the subset that opted out of capture
   */
  async listOptedOut(subjectIds: string[], manager: EntityManager = this.activeManager_): Promise<Set<string>> {
    return await manager.withRepository(this.interestOptOutRepository_).optedOut(subjectIds)
  }

  /**
   * @param customerId - a customer id
   * @return the customer's events, oldest first
   */
  async listByCustomer(customerId: string): Promise<CapturedEvent[]> {
    if (!customerId) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "A customer id is required.")
    }
    return await this.activeManager_.withRepository(this.interestEventRepository_).listByCustomer(customerId)
  }

  /**
   * @param variantIds - variant ids to check
   * @return the product of each of them that is an existing, not deleted variant
   */
  async productsOfVariants(variantIds: string[]): Promise<Map<string, string>> {
    return await this.activeManager_.withRepository(this.catalogRepository_).productsOfVariants(variantIds)
  }

  /**
   * @param visitorId - an anonymous visitor id
   * @return the customer it was identified into (interest_visitor_link), if any
   */
  async customerOfVisitor(visitorId: string): Promise<string | null> {
    const owners = await this.activeManager_.withRepository(this.interestVisitorLinkRepository_).ownersOf([visitorId])
    return owners.get(visitorId) ?? null
  }

  /**
   * The served lists (impressions) with these ids: the ones this process has
   * not written yet (impression-buffer), then the table.
   * @param recommendationIds - recommendation ids sent with events
   * @return each list that exists, by id
   */
  async servedLists(recommendationIds: string[]): Promise<Map<string, ServedList>> {
    const found = new Map<string, ServedList>()
    // Before any await: an impression leaves the buffer only once it is committed.
    for (const i of impressionBuffer.queued(recommendationIds)) {
      found.set(i.id, { customer_id: i.customerId, visitor_id: i.visitorId, product_ids: i.productIds, experiment_id: i.experimentId, arm: i.arm })
    }
    const rest = recommendationIds.filter((id) => !found.has(id))
    const stored = await this.activeManager_.withRepository(this.interestImpressionRepository_).servedLists(rest)
    for (const [id, list] of stored) found.set(id, list)
    return found
  }
}

/** Ids for events, made before storage so the bus payload and the row agree. */
export function generateId(): string {
  return generateEntityId(undefined, "iev")
}

export default InterestEventService
