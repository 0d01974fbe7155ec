/**
 * Events and catalogue encoded once into integer ids and typed arrays, grouped
 * by customer and sorted by time. Every later stage works on this shape, which
 * keeps 2M events at a few tens of MB instead of millions of objects.
 */
import { CatalogProduct, EVENT_TYPES, EventType, InterestEvent } from "../types"

export type Facet = "category" | "collection" | "tag" | "type"
export const FACETS: readonly Facet[] = ["category", "collection", "tag", "type"]

/** One facet's vocabulary and each product's ids in it. */
export interface FacetIndex {
  ids: string[]
  index: Map<string, number>
  /** productFacets[p] = facet indices of product p (may be empty). */
  productFacets: number[][]
}

export interface Dataset {
  customerIds: string[]
  customerIndex: Map<string, number>
  productIds: string[]
  productIndex: Map<string, number>
  products: CatalogProduct[]
  facets: Record<Facet, FacetIndex>
  /** Events of customer c are positions customerOffsets[c] .. customerOffsets[c+1]-1, oldest first. */
  customerOffsets: Int32Array
  eventProduct: Int32Array
  eventType: Uint8Array
  eventTime: Float64Array
  eventQuantity: Float32Array
  /** Index of the event's source in `sourceIds`, -1 when unknown. */
  eventSource: Int32Array
  sourceIds: string[]
  /** Per customer: 1 for an anonymous visitor (their events say `anonymous`). */
  customerAnonymous: Uint8Array
}

export function eventTypeCode(t: EventType): number {
  return EVENT_TYPES.indexOf(t)
}

function facetValues(p: CatalogProduct, facet: Facet): string[] {
  switch (facet) {
    case "category":
      return p.categoryIds ?? []
    case "collection":
      return p.collectionId ? [p.collectionId] : []
    case "tag":
      return p.tagIds ?? []
    case "type":
      return p.typeId ? [p.typeId] : []
  }
}

function buildFacet(products: CatalogProduct[], facet: Facet): FacetIndex {
  const ids: string[] = []
  const index = new Map<string, number>()
  const productFacets = products.map((p) => {
    const out: number[] = []
    for (const v of facetValues(p, facet)) {
      let i = index.get(v)
      if (i === undefined) {
        i = ids.length
        ids.push(v)
        index.set(v, i)
      }
      if (!out.includes(i)) out.push(i)
    }
    return out
  })
  return { ids, index, productFacets }
}

/**
 * Builds the dataset. Products that appear in events but not in the catalogue are
 * added without categories, so no event is silently dropped.
 */
export function buildDataset(events: InterestEvent[], catalog: CatalogProduct[]): Dataset {
  if (!Array.isArray(events)) throw new Error("events must be an array of InterestEvent.")
  if (!Array.isArray(catalog)) throw new Error("catalog must be an array of CatalogProduct.")
  const products: CatalogProduct[] = []
  const productIndex = new Map<string, number>()
  for (const p of catalog) {
    if (!p || typeof p.id !== "string") throw new Error("Every catalog product needs a string id.")
    if (productIndex.has(p.id)) continue
    productIndex.set(p.id, products.length)
    products.push(p)
  }
  const customerIds: string[] = []
  const customerIndex = new Map<string, number>()
  const counts: number[] = []
  const eventCustomer = new Int32Array(events.length)
  for (let i = 0; i < events.length; i++) {
    const e = events[i]
    if (!Number.isFinite(e.timestamp)) throw new Error(`Event ${i} (customer ${e.customerId}) has a non-numeric timestamp.`)
    if (eventTypeCode(e.type) < 0) throw new Error(`Event ${i} (customer ${e.customerId}) has unknown type "${e.type}".`)
    let c = customerIndex.get(e.customerId)
    if (c === undefined) {
      c = customerIds.length
      customerIds.push(e.customerId)
      customerIndex.set(e.customerId, c)
      counts.push(0)
    }
    counts[c]++
    eventCustomer[i] = c
    if (!productIndex.has(e.productId)) {
      productIndex.set(e.productId, products.length)
      products.push({ id: e.productId, categoryIds: [] })
    }
  }
  const customerOffsets = new Int32Array(customerIds.length + 1)
  for (let c = 0; c < counts.length; c++) customerOffsets[c + 1] = customerOffsets[c] + counts[c]
  const order = new Int32Array(events.length)
  const cursor = customerOffsets.slice(0, customerIds.length)
  for (let i = 0; i < events.length; i++) order[cursor[eventCustomer[i]]++] = i

  const eventProduct = new Int32Array(events.length)
  const eventType = new Uint8Array(events.length)
  const eventTime = new Float64Array(events.length)
  const eventQuantity = new Float32Array(events.length)
  const eventSource = new Int32Array(events.length).fill(-1)
  const sourceIds: string[] = []
  const sourceIndex = new Map<string, number>()
  const customerAnonymous = new Uint8Array(customerIds.length)
  for (let c = 0; c < customerIds.length; c++) {
    const start = customerOffsets[c]
    const end = customerOffsets[c + 1]
    const slice = Array.from(order.subarray(start, end)).sort(
      (a, b) => events[a].timestamp - events[b].timestamp || a - b
    )
    for (let j = 0; j < slice.length; j++) {
      const e = events[slice[j]]
      const pos = start + j
      eventProduct[pos] = productIndex.get(e.productId) as number
      eventType[pos] = eventTypeCode(e.type)
      eventTime[pos] = e.timestamp
      eventQuantity[pos] = e.quantity && e.quantity > 0 ? e.quantity : 1
      if (e.anonymous) customerAnonymous[c] = 1
      if (e.sourceId) {
        let s = sourceIndex.get(e.sourceId)
        if (s === undefined) {
          s = sourceIds.length
          sourceIds.push(e.sourceId)
          sourceIndex.set(e.sourceId, s)
        }
        eventSource[pos] = s
      }
    }
  }
  const productIds = products.map((p) => p.id)
  const facets = {} as Record<Facet, FacetIndex>
  for (const f of FACETS) facets[f] = buildFacet(products, f)
  return {
    customerIds,
    customerIndex,
    productIds,
    productIndex,
    products,
    facets,
    customerOffsets,
    eventProduct,
    eventType,
    eventTime,
    eventQuantity,
    eventSource,
    sourceIds,
    customerAnonymous,
  }
}

export function customerEventRange(ds: Dataset, c: number): [number, number] {
  return [ds.customerOffsets[c], ds.customerOffsets[c + 1]]
}
