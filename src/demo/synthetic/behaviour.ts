/**
 * Simulated shoppers for a synthetic catalogue: customers in taste groups, browsing sessions
 * with view → wishlist / add_to_cart → purchase funnels, seasonal drift and mid-period interest
 * shifts. Pure and seeded; every customer has its own random stream (seed, customer index), so
 * the streaming and the array variants give the same events, and the first N customers do not
 * depend on how many are asked for.
 */
import type { EventType, InterestEvent } from "../../engine/types"
import type { SyntheticCatalog } from "./catalog"
import { leafCategories } from "./catalog"
import { buildGroups, SyntheticGroup } from "./personas"
import { dirichlet, logNormal, mixSeed, poisson, sampleCumulative, weighted } from "./sampling"
import { SeededRandom } from "../../engine/util/random"
import { FIRST_NAMES, LAST_NAMES } from "./taxonomy"

const DAY = 86_400_000
const MINUTE = 60_000

export interface SyntheticCustomer {
  id: string
  email: string
  firstName: string
  lastName: string
  /** Index into the simulation's groups. */
  group: number
  groupName: string
  /** When this customer's interests start moving to the group's drift target, or null if they never do. */
  driftsAt: number | null
  /** First moment this customer can be active (later than `start` for customers who join midway). */
  joinedAt: number
}

export interface SimulatedCustomer {
  customer: SyntheticCustomer
  /** This customer's events, sorted by time. */
  events: InterestEvent[]
}

export interface FunnelOptions {
  /** Chance that a view leads to an add to cart (before the customer's own propensity). @defaultValue 0.09 */
  addToCart?: number
  /** Chance that a view leads to a wishlist add. @defaultValue 0.03 */
  wishlist?: number
  /** Chance that a session with items in the cart ends in a purchase. @defaultValue 0.35 */
  checkout?: number
}

export interface SimulateBehaviourOptions {
  catalog: SyntheticCatalog
  /** @defaultValue 500 */
  customers?: number
  /** First instant of the simulated period. */
  start: Date
  /** Length of the period; every timestamp lies in [start, start + days). @defaultValue 90 */
  days?: number
  seed: number
  /** Number of taste groups (the first 8 are named personas). @defaultValue 5 */
  groups?: number
  /** Average number of events per customer (activity is long-tailed around it). @defaultValue 20 */
  meanEventsPerCustomer?: number
  /** Share of each group whose interests move to the group's drift target midway. @defaultValue 0.6 */
  driftShare?: number
  /** How far a drifting customer's taste moves towards the target, 0..1. @defaultValue 0.7 */
  driftStrength?: number
  /** Strength of the calendar seasonality (summer vs winter categories); 0 turns it off. @defaultValue 0.8 */
  seasonality?: number
  /** Weight of each customer's personal taste mixed into the group taste, 0..1. @defaultValue 0.25 */
  personalNoise?: number
  /** Share of customers whose first visit falls inside the period. @defaultValue 0.25 */
  newCustomerShare?: number
  /** Sales channel ids; when given, each event carries one (customers mostly stick to one). */
  channels?: string[]
  /** @defaultValue "cus_syn_" */
  customerIdPrefix?: string
  funnel?: FunnelOptions
}

const defaultBehaviourOptions = {
  customers: 500,
  days: 90,
  groups: 5,
  meanEventsPerCustomer: 20,
  driftShare: 0.6,
  driftStrength: 0.7,
  seasonality: 0.8,
  personalNoise: 0.25,
  newCustomerShare: 0.25,
  customerIdPrefix: "cus_syn_",
}
const defaultFunnel: Required<FunnelOptions> = { addToCart: 0.09, wishlist: 0.03, checkout: 0.35 }

/** Average events a session yields with the default funnel (measured), used to size activity. */
const EVENTS_PER_SESSION = 4.4
/** Relative chance of a session starting in each hour of the day (evening peak). */
const HOUR_WEIGHTS = [
  1, 0.5, 0.3, 0.2, 0.2, 0.3, 0.8, 1.5, 2, 2.2, 2.3, 2.5, 3, 2.6, 2.4, 2.4, 2.6, 3, 3.6, 4.4, 5, 4.6, 3.4, 2,
]
const HOUR_CUMULATIVE = HOUR_WEIGHTS.reduce<number[]>((acc, w) => [...acc, (acc[acc.length - 1] ?? 0) + w], [])

/** Everything derived once per simulation and shared by all customers. */
interface Prepared {
  o: typeof defaultBehaviourOptions & { funnel: Required<FunnelOptions>; channels: string[]; seed: number }
  start: number
  end: number
  groups: SyntheticGroup[]
  groupCumulative: number[]
  leafCount: number
  /** Per leaf: product ids and cumulative popularity. */
  leafProducts: string[][]
  leafCumulative: Float64Array[]
  /** Per leaf: +1 summer, -1 winter, 0 neither. */
  seasonSign: Int8Array
  consumableLeaf: Uint8Array
  /** Product id → index of its primary leaf. */
  productLeaf: Map<string, number>
  meanSessions: number
}

function prepare(options: SimulateBehaviourOptions): Prepared {
  const o = {
    ...defaultBehaviourOptions,
    ...options,
    funnel: { ...defaultFunnel, ...(options.funnel ?? {}) },
    channels: options.channels ?? [],
  }
  const start = options.start instanceof Date ? options.start.getTime() : NaN
  if (!Number.isFinite(start)) throw new Error("simulateBehaviour: start must be a valid Date.")
  if (!Number.isFinite(o.seed)) throw new Error("simulateBehaviour: seed must be a finite number.")
  if (!Number.isInteger(o.customers) || o.customers < 0) {
    throw new Error(`simulateBehaviour: customers must be a non-negative integer, got ${o.customers}.`)
  }
  if (!(o.days > 0)) throw new Error(`simulateBehaviour: days must be positive, got ${o.days}.`)
  if (!(o.meanEventsPerCustomer > 0)) throw new Error("simulateBehaviour: meanEventsPerCustomer must be positive.")
  for (const key of ["driftShare", "driftStrength", "personalNoise", "newCustomerShare"] as const) {
    if (!(o[key] >= 0 && o[key] <= 1)) throw new Error(`simulateBehaviour: ${key} must be between 0 and 1, got ${o[key]}.`)
  }
  const leaves = leafCategories(options.catalog)
  if (!options.catalog.products.length) throw new Error("simulateBehaviour: the catalogue has no products.")

  const leafIndex = new Map(leaves.map((c, i) => [c.id, i]))
  const leafProducts: string[][] = leaves.map(() => [])
  const leafWeights: number[][] = leaves.map(() => [])
  const productLeaf = new Map<string, number>()
  for (const p of options.catalog.products) {
    p.categoryIds.forEach((cid, k) => {
      const i = leafIndex.get(cid)
      if (i === undefined) return
      if (k === 0 || !productLeaf.has(p.id)) productLeaf.set(p.id, i)
      leafProducts[i].push(p.id)
      leafWeights[i].push(p.popularity > 0 ? p.popularity : 1)
    })
  }
  const leafCumulative = leafWeights.map((w) => {
    const c = new Float64Array(w.length)
    w.reduce((acc, x, i) => (c[i] = acc + x), 0)
    return c
  })
  const groups = buildGroups(options.catalog, o.groups, o.seed)
  // Leaves without products cannot be browsed: take them out of every taste.
  for (const g of groups) {
    for (const v of [g.taste, g.driftTarget]) {
      let s = 0
      leafProducts.forEach((ps, i) => {
        if (!ps.length) v[i] = 0
        s += v[i]
      })
      for (let i = 0; i < v.length; i++) v[i] = s > 0 ? v[i] / s : leafProducts[i].length ? 1 : 0
    }
  }
  const groupCumulative: number[] = []
  groups.reduce((acc, g) => {
    groupCumulative.push(acc + g.share)
    return acc + g.share
  }, 0)

  return {
    o,
    start,
    end: start + o.days * DAY,
    groups,
    groupCumulative,
    leafCount: leaves.length,
    leafProducts,
    leafCumulative,
    seasonSign: Int8Array.from(leaves.map((c) => (c.season === "summer" ? 1 : c.season === "winter" ? -1 : 0))),
    consumableLeaf: Uint8Array.from(leaves.map((c) => (c.consumable ? 1 : 0))),
    productLeaf,
    // Customers who join midway are active for less time: scale so the overall mean holds.
    meanSessions: o.meanEventsPerCustomer / EVENTS_PER_SESSION / (1 - o.newCustomerShare * 0.425),
  }
}

/** +1 in mid-July, -1 in mid-January (northern-hemisphere shopping seasons). */
function seasonIndex(timestamp: number): number {
  const d = new Date(timestamp)
  const dayOfYear = (timestamp - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY
  return Math.cos((2 * Math.PI * (dayOfYear - 196)) / 365.25)
}

function simulateCustomer(p: Prepared, index: number): SimulatedCustomer {
  const { o } = p
  const rng = SeededRandom.fromState(mixSeed(o.seed, 3, index))
  const L = p.leafCount

  // Who they are.
  const groupIndex = sampleCumulative(rng, p.groupCumulative)
  const group = p.groups[groupIndex]
  const firstName = rng.pick(FIRST_NAMES)
  const lastName = rng.pick(LAST_NAMES)
  const id = `${o.customerIdPrefix}${String(index + 1).padStart(6, "0")}`
  const localPart = `${firstName}.${lastName}`.normalize("NFKD").replace(/[^A-Za-z.]/g, "").toLowerCase()
  const email = `${localPart}.${index + 1}@example.com`

  // Their taste: the group's plus a personal, peaky mix.
  const noise = dirichlet(rng, L, 0.3)
  const base = new Float64Array(L)
  for (let i = 0; i < L; i++) base[i] = p.leafProducts[i].length ? (1 - o.personalNoise) * group.taste[i] + o.personalNoise * noise[i] : 0

  const joinedAt = rng.chance(o.newCustomerShare) ? p.start + rng.next() * 0.85 * (p.end - p.start) : p.start
  const drifts = rng.chance(o.driftShare)
  const driftsAt = drifts
    ? p.start + Math.min(0.85, Math.max(0.15, 0.5 + 0.12 * rng.normal())) * (p.end - p.start)
    : null
  // Mean-one, long-tailed activity: a few heavy shoppers, many occasional ones.
  const activity = logNormal(rng, -0.32, 0.8)
  const propensity = Math.min(2.5, logNormal(rng, -0.08, 0.4))
  const homeChannel = o.channels.length ? rng.pick(o.channels) : undefined

  const activeShare = (p.end - joinedAt) / (p.end - p.start)
  const sessionCount = Math.max(1, poisson(rng, p.meanSessions * activity * activeShare))
  const sessionStarts: number[] = []
  const firstDay = Math.floor((joinedAt - p.start) / DAY)
  for (let s = 0; s < sessionCount; s++) {
    const day = firstDay + rng.int(Math.max(1, Math.ceil(o.days) - firstDay))
    const hour = sampleCumulative(rng, HOUR_CUMULATIVE)
    const t = p.start + day * DAY + hour * 3_600_000 + rng.int(3_600_000)
    sessionStarts.push(Math.max(joinedAt, Math.min(p.end - 1, t)))
  }
  sessionStarts.sort((a, b) => a - b)

  const events: InterestEvent[] = []
  const recent: string[] = []
  const bought: string[] = []
  let cart: { productId: string; quantity: number }[] = []
  const weights = new Float64Array(L)
  const push = (productId: string, type: EventType, timestamp: number, quantity: number | undefined, channelId: string | undefined) => {
    const e: InterestEvent = { customerId: id, productId, type, timestamp: Math.min(p.end - 1, timestamp) }
    if (quantity !== undefined) e.quantity = quantity
    if (channelId !== undefined) e.channelId = channelId
    events.push(e)
  }

  for (const sessionStart of sessionStarts) {
    // Taste at this moment: drift ramp (logistic over about a week) and calendar season.
    const lambda = driftsAt === null ? 0 : o.driftStrength / (1 + Math.exp(-(sessionStart - driftsAt) / (3 * DAY)))
    const season = o.seasonality * seasonIndex(sessionStart)
    for (let i = 0; i < L; i++) {
      weights[i] = ((1 - lambda) * base[i] + lambda * group.driftTarget[i]) * Math.exp(season * p.seasonSign[i])
    }
    const focus = weighted(rng, weights)
    const channel = homeChannel === undefined ? undefined : rng.chance(0.85) ? homeChannel : rng.pick(o.channels)
    let t = sessionStart

    const views = 1 + Math.min(30, Math.floor(Math.log(rng.next() || 1e-9) / Math.log(0.72)))
    for (let v = 0; v < views; v++) {
      let productId: string
      if (v === 0 && bought.length && rng.chance(0.25)) {
        productId = rng.pick(bought) // coming back to something bought before (re-order, accessories)
      } else if (recent.length && rng.chance(0.12)) {
        productId = rng.pick(recent)
      } else {
        const leaf = rng.chance(0.7) ? focus : weighted(rng, weights)
        productId = p.leafProducts[leaf][sampleCumulative(rng, p.leafCumulative[leaf])]
      }
      push(productId, "view", t, undefined, channel)
      recent.push(productId)
      if (recent.length > 8) recent.shift()

      const leaf = p.productLeaf.get(productId) ?? focus
      const inFocus = leaf === focus ? 1.3 : 0.7
      if (rng.chance(o.funnel.wishlist * inFocus)) {
        t += 2_000 + rng.int(20_000)
        push(productId, "wishlist", t, undefined, channel)
      }
      if (rng.chance(Math.min(0.9, o.funnel.addToCart * inFocus * propensity))) {
        const quantity = p.consumableLeaf[leaf]
          ? 1 + weighted(rng, [0.55, 0.3, 0.1, 0.05])
          : 1 + weighted(rng, [0.9, 0.08, 0.02])
        t += 5_000 + rng.int(40_000)
        push(productId, "add_to_cart", t, quantity, channel)
        const existing = cart.find((c) => c.productId === productId)
        if (existing) existing.quantity += quantity
        else cart.push({ productId, quantity })
      }
      t += Math.round(logNormal(rng, Math.log(50_000), 0.7))
    }

    if (cart.length && rng.chance(Math.min(0.95, o.funnel.checkout * propensity))) {
      t += 2 * MINUTE + rng.int(4 * MINUTE)
      for (const item of cart) {
        push(item.productId, "purchase", t, item.quantity, channel)
        if (!bought.includes(item.productId)) bought.push(item.productId)
      }
      cart = []
    } else if (cart.length && rng.chance(0.5)) {
      cart = [] // abandoned for good; otherwise it waits for a later session
    }
  }

  // Sessions can overlap when two start close together: keep the customer's events in time order.
  events.sort((a, b) => a.timestamp - b.timestamp)
  const customer: SyntheticCustomer = {
    id,
    email,
    firstName,
    lastName,
    group: groupIndex,
    groupName: group.name,
    driftsAt,
    joinedAt,
  }
  return { customer, events }
}

/**
 * Streams the simulation customer by customer: memory stays at one customer's events, so it
 * scales to 100k customers / millions of events.
 *
 * @example
 * for (const { customer, events } of simulateBehaviourIter({ catalog, customers: 100_000, start, seed: 7 })) {
 *   writer.write(events)
 * }
 */
export function* simulateBehaviourIter(options: SimulateBehaviourOptions): Generator<SimulatedCustomer, void, undefined> {
  const prepared = prepare(options)
  for (let i = 0; i < prepared.o.customers; i++) yield simulateCustomer(prepared, i)
}

/** The groups a simulation with these options uses (same as `simulateBehaviour(...).groups`). */
export function simulationGroups(options: SimulateBehaviourOptions): SyntheticGroup[] {
  return prepare(options).groups
}

export interface SyntheticBehaviour {
  customers: SyntheticCustomer[]
  /** All events, customer by customer, each customer's in time order. */
  events: InterestEvent[]
  groups: SyntheticGroup[]
}

/**
 * Simulates all customers into arrays. For large runs use `simulateBehaviourIter`.
 *
 * @example
 * const catalog = generateCatalog({ seed: 1 })
 * const { customers, events } = simulateBehaviour({ catalog, start: new Date("2024-03-01T00:00:00Z"), seed: 1 })
 */
export function simulateBehaviour(options: SimulateBehaviourOptions): SyntheticBehaviour {
  const prepared = prepare(options)
  const customers: SyntheticCustomer[] = []
  const events: InterestEvent[] = []
  for (let i = 0; i < prepared.o.customers; i++) {
    const r = simulateCustomer(prepared, i)
    customers.push(r.customer)
    for (const e of r.events) events.push(e)
  }
  return { customers, events, groups: prepared.groups }
}
