/** A JSON request to the shop; throws with the answer unless it is 2xx. */
export async function call<T = any>(
  baseUrl: string,
  route: string,
  o: { body?: unknown; token?: string; headers?: Record<string, string> } = {}
): Promise<T> {
  const res = await fetch(`${baseUrl}${route}`, {
    method: o.body === undefined ? "GET" : "POST",
    headers: {
      ...(o.body === undefined ? {} : { "content-type": "application/json" }),
      ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
      ...(o.headers ?? {}),
    },
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${o.body === undefined ? "GET" : "POST"} ${route} answered ${res.status}: ${text.slice(0, 500)}`)
  return (text ? JSON.parse(text) : null) as T
}

/** A small deterministic PRNG (mulberry32), so every run posts the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Shopper {
  email: string
  token: string
  customerId: string
  /** The category the shopper mostly browses. */
  taste: string
}

export interface Traffic {
  shoppers: Shopper[]
  accepted: number
}

const DAY = 86_400_000

/**
 * Registers `perTaste` customers for each category through the store API,
 * logs each in (bearer token) and posts six weeks of their browsing through
 * POST /store/interest/events, as a storefront would: mostly views and some
 * add-to-carts of their own category's products, a few of other ones.
 * @param productsByCategory - category id -> product ids, the shop's catalogue
 */
export async function postTraffic(
  baseUrl: string,
  productsByCategory: Map<string, string[]>,
  perTaste: number,
  password: string
): Promise<Traffic> {
  const next = random(17)
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]
  const all = [...productsByCategory.values()].flat()
  const shoppers: Shopper[] = []
  let accepted = 0
  for (const [taste, own] of productsByCategory) {
    for (let i = 0; i < perTaste; i++) {
      const email = `${taste.replace(/[^a-z0-9]/gi, "")}-${i}@shoppers.starter-shop.test`
      const { customer } = await call(baseUrl, "/store/customers", {
        body: { email, password, first_name: `Shopper ${i}`, last_name: taste },
      })
      const { access_token: token } = await call(baseUrl, "/store/auth/token", { body: { email, password } })
      const events = []
      for (let n = 0; n < 24; n++) {
        const productId = next() < 0.85 ? pick(own) : pick(all)
        const type = next() < 0.8 ? "view" : "add_to_cart"
        const occurredAt = new Date(Date.now() - Math.floor(next() * 42 * DAY) - 60_000)
        events.push({ type, product_id: productId, occurred_at: occurredAt.toISOString(), client_event_id: `${taste}-${i}-${n}` })
      }
      const answer = await call(baseUrl, "/store/interest/events", { body: { events }, token })
      accepted += answer.accepted
      shoppers.push({ email, token, customerId: customer.id, taste })
    }
  }
  return { shoppers, accepted }
}
