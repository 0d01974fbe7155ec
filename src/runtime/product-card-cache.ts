import { EntityManager } from "typeorm"
import { InterestProductCardRepository } from "../repositories/interest-product-card"

/**
 * A prepared card held in memory: the product's store JSON as UTF-8 bytes
 * without its closing brace (a served list appends its own fields and closes
 * it), and the `updated_at` of its row (ms). Bytes, so a response is put
 * together by copying, not by encoding text again on every request.
 */
export interface CachedCard {
  open: Buffer
  at: number
}

/** The cached form of a product's JSON object. */
export function openCard(json: string, at: number): CachedCard {
  if (!json.endsWith("}") || json.length < 3) throw new Error("a product card must be a non-empty JSON object")
  return { open: Buffer.from(json.slice(0, -1), "utf8"), at }
}

/** What the watcher last saw of the shop's price lists (they emit no events in Medusa 1.20). */
export interface PriceListState {
  /** Changes whenever a price list or one of its prices is added, changed, removed, starts or ends. */
  signature: string
  /** An active price list is limited to customer groups: such customers are priced live, not from cards. */
  groupPrices: boolean
}

const POLL_MS = 2000
/** Enough for a large catalogue in a few price contexts (~5 KB each); beyond it the oldest entries go. */
const MAX_ENTRIES = 20_000

/**
 * The per-process copy of `interest_product_card`, so serving reads cards from
 * memory, never from the database. It stays right in two ways: the process that
 * handles a product/variant/region event evicts (and rebuilds) at once; every
 * process also polls every 2 s, off the request path, for a cheap signature of
 * the card table (row count and newest `updated_at`) and of the price lists,
 * and when the card table changed it drops exactly the entries whose row changed
 * or vanished. So a card changed by another instance is served at most ~2 s.
 */
class ProductCardCache {
  private readonly cards = new Map<string, CachedCard>()
  private timer: NodeJS.Timeout | null = null
  private manager: EntityManager | null = null
  private cardSignature = ""
  private ready: Promise<void> | null = null
  private polling = false
  /** Bumped whenever the catalogue may have changed (published set, sales channels, new products). */
  generation = 0
  priceLists: PriceListState = { signature: "", groupPrices: false }

  /** Starts the watcher once per process; resolves when the price-list state is known. */
  watch(manager: EntityManager): Promise<void> {
    if (this.ready) return this.ready
    this.manager = manager
    this.ready = this.poll().then(() => {
      this.timer = setInterval(() => void this.poll(), POLL_MS)
      // Serving must never keep a process alive on its own.
      this.timer.unref()
    })
    return this.ready
  }

  get(context: string, productId: string): CachedCard | undefined {
    return this.cards.get(key(context, productId))
  }

  set(context: string, productId: string, card: CachedCard): void {
    const k = key(context, productId)
    this.cards.delete(k)
    this.cards.set(k, card)
    // Map keeps insertion order, so the first keys are the oldest.
    while (this.cards.size > MAX_ENTRIES) this.cards.delete(this.cards.keys().next().value as string)
  }

  /** Drops every context's card of these products. */
  evictProducts(productIds: string[]): void {
    const ids = new Set(productIds)
    for (const k of this.cards.keys()) if (ids.has(k.slice(k.indexOf("\u0000") + 1))) this.cards.delete(k)
    this.generation++
  }

  /**
   * Drops the entries whose key starts with `prefix` ("" drops all). A key is
   * the context, a NUL character, then the product id.
   */
  evictContexts(prefix: string): void {
    for (const k of this.cards.keys()) if (k.startsWith(prefix)) this.cards.delete(k)
    this.generation++
  }

  /** Marks the catalogue as changed without dropping cards (e.g. a product was created). */
  touch(): void {
    this.generation++
  }

  get size(): number {
    return this.cards.size
  }

  private async poll(): Promise<void> {
    if (this.polling || !this.manager) return
    this.polling = true
    try {
      const state = await this.manager.withRepository(InterestProductCardRepository).watchState()
      const signature = state.signature
      // Cards priced under other price lists are stale: the table's rows say so
      // through their stored signature, the memory copy is dropped here.
      if (this.priceLists.signature && signature !== this.priceLists.signature) this.evictContexts("")
      this.priceLists = { signature, groupPrices: state.groupPrices }
      if (state.cards !== this.cardSignature) {
        if (this.cardSignature) await this.dropChanged()
        this.cardSignature = state.cards
        this.generation++
      }
    } catch {
      // A failed poll (database restarting) keeps the last state; the next poll retries.
    } finally {
      this.polling = false
    }
  }

  /** Evicts the entries whose row another process rewrote or removed. */
  private async dropChanged(): Promise<void> {
    if (!this.cards.size || !this.manager) return
    const rows = await this.manager.withRepository(InterestProductCardRepository).stamps()
    const current = new Map(rows.map((r) => [key(r.price_context, r.product_id), r.at]))
    for (const [k, card] of this.cards) if (current.get(k) !== card.at) this.cards.delete(k)
  }
}

function key(context: string, productId: string): string {
  return `${context}\u0000${productId}`
}

export const productCardCache = new ProductCardCache()
