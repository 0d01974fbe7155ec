import os from "os"
import path from "path"
import { Client } from "pg"
import { itState, uniqueId, waitFor } from "../support/harness"
import { startTcpProxy, TcpProxy } from "../support/tcp-proxy"

/* eslint-disable @typescript-eslint/no-var-requires */
const { runMedusa, startMedusa } = require("../../scripts/lib/medusa")
const { freePort, ensureDatabase, dropDatabase, withDatabase } = require("../../scripts/lib/postgres")
const { writeTestSeed, ADMIN } = require("../support/test-seed")

type Answer = { status: number; retryAfter: string | null; kind: string; clientEventId?: string }

/**
 * The database goes away under load and comes back: a Medusa of its own talks
 * to Postgres through a TCP proxy the test cuts (every connection dropped, new
 * ones refused, as in a restart) and restores. Meanwhile requests must fail
 * with 503 + Retry-After (never 500), the server must stay up and recover by
 * itself, and every accepted event must be stored exactly once. A flush of
 * group-committed events the database refuses fails only its own requests.
 */
describe("faults: the database restarts under load", () => {
  const database = `interest_fault_db_${process.pid}_${Date.now().toString(36)}`
  let serverUrl: string
  let db: Client
  let proxy: TcpProxy
  let shop: { url: string; stop: () => Promise<void>; child: { exitCode: number | null } }
  let adminToken: string
  let productId: string

  beforeAll(async () => {
    serverUrl = (itState() as unknown as { serverUrl: string }).serverUrl
    await ensureDatabase(serverUrl, database)
    const direct = withDatabase(serverUrl, database)
    // REDIS_URL "" keeps this shop on the local event bus even in CI's Redis leg:
    // a shared Redis queue would hand its events to the suite's main instance.
    const env = { DATABASE_URL: direct, REDIS_URL: "" }
    await runMedusa(["migrations", "run"], { env })
    const seed = writeTestSeed(path.join(os.tmpdir(), `medusa-interest-faultdb-seed-${process.pid}.json`))
    await runMedusa(["seed", "-f", seed.file], { env })
    db = new Client({ connectionString: direct })
    await db.connect()
    productId = (await db.query(`SELECT id FROM product WHERE status = 'published' ORDER BY id LIMIT 1`)).rows[0].id

    const target = new URL(serverUrl)
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) })
    const viaProxy = new URL(direct)
    viaProxy.hostname = "127.0.0.1"
    viaProxy.port = String(proxy.port)
    shop = await startMedusa({
      port: await freePort(),
      // Rate limits off: the load below is one visitor from one address at full
      // speed, which the default budgets refuse (429) within a second or two;
      // this file is about the database going away, not about the limits.
      env: { DATABASE_URL: viaProxy.toString(), REDIS_URL: "", INTEREST_RATE_LIMIT: "off" },
      logFile: path.join(os.tmpdir(), `medusa-interest-faultdb-${process.pid}.log`),
    })
    const auth = await fetch(`${shop.url}/admin/auth/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(ADMIN),
    })
    adminToken = (await auth.json()).access_token
  }, 240_000)

  afterAll(async () => {
    await proxy?.restore()
    await shop?.stop()
    await proxy?.close()
    await db?.end()
    await dropDatabase(serverUrl, database).catch(() => undefined)
  })

  /** One request of the mix a shop sees: capture, recommendations, admin reads. */
  async function request(i: number): Promise<Answer> {
    const kind = ["events", "recommendations", "admin"][i % 3]
    const clientEventId = kind === "events" ? uniqueId("fdb") : undefined
    const init: RequestInit =
      kind === "events"
        ? {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ visitor_id: "fault_db_visitor", events: [{ type: "view", product_id: productId, client_event_id: clientEventId }] }),
          }
        : kind === "admin"
          ? { headers: { authorization: `Bearer ${adminToken}` } }
          : { headers: { "x-interest-visitor-id": "fault_db_visitor" } }
    const url =
      kind === "events"
        ? `${shop.url}/store/interest/events`
        : kind === "admin"
          ? `${shop.url}/admin/interest/segments`
          : `${shop.url}/store/recommendations`
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(15000) })
      await res.arrayBuffer()
      return { status: res.status, retryAfter: res.headers.get("retry-after"), kind, clientEventId }
    } catch {
      return { status: 0, retryAfter: null, kind, clientEventId }
    }
  }

  /** Sends the mix from 4 clients for `ms`. */
  async function load(ms: number): Promise<Answer[]> {
    const answers: Answer[] = []
    const until = Date.now() + ms
    let i = 0
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (Date.now() < until) answers.push(await request(i++))
      })
    )
    return answers
  }

  it("answers 503 with Retry-After while the database is away, recovers on its own, and loses or duplicates no accepted event", async () => {
    const before = await load(2000)
    expect(before.filter((a) => a.status >= 300)).toEqual([])
    expect(proxy.connections).toBeGreaterThan(0)

    await proxy.cut()
    const during = await load(4000)
    await proxy.restore()

    // Nothing but 503s for what needs the database (an answer served from
    // memory may still be a 200), every 503 with Retry-After, never a 500.
    expect(during.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([])
    expect(during.filter((a) => a.status === 0)).toEqual([])
    const unavailable = during.filter((a) => a.status === 503)
    expect(unavailable.length).toBeGreaterThan(0)
    expect(unavailable.every((a) => Number(a.retryAfter) > 0)).toBe(true)
    expect(during.filter((a) => a.kind === "events").every((a) => a.status === 503)).toBe(true)

    // Recovers without a restart: the pool reconnects.
    await waitFor(async () => (await request(0)).status === 202, { timeoutMs: 30000, intervalMs: 500 })
    const after = await load(2000)
    expect(after.filter((a) => a.status >= 300)).toEqual([])
    expect(shop.child.exitCode).toBeNull()

    const accepted = [...before, ...during, ...after].filter((a) => a.status === 202).map((a) => a.clientEventId as string)
    const refused = during.filter((a) => a.status === 503 && a.kind === "events").map((a) => a.clientEventId as string)
    const counts = async (ids: string[]): Promise<Map<string, number>> => {
      const rows = await db.query(`SELECT client_event_id, count(*)::int AS n FROM interest_event WHERE client_event_id = ANY($1) GROUP BY 1`, [ids])
      return new Map(rows.rows.map((r: { client_event_id: string; n: number }) => [r.client_event_id, r.n]))
    }
    await waitFor(async () => (await counts(accepted)).size === accepted.length, { timeoutMs: 60000, intervalMs: 1000 })
    const stored = await counts(accepted)
    expect(accepted.filter((id) => stored.get(id) !== 1)).toEqual([])
    // A refused request wrote nothing.
    expect((await counts(refused)).size).toBe(0)
  })

  it("answers 503 to the requests of a flush the database refused, and 202 to the others", async () => {
    // A real database condition that fails a flush: rows of this visitor break a CHECK.
    const poison = "fault_poison_visitor"
    await db.query(
      `ALTER TABLE interest_event ADD CONSTRAINT interest_fault_poison CHECK (visitor_id IS DISTINCT FROM '${poison}') NOT VALID`
    )
    try {
      const post = async (visitor: string): Promise<{ visitor: string; id: string; status: number; retryAfter: string | null }> => {
        const id = uniqueId("fpo")
        const res = await fetch(`${shop.url}/store/interest/events`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ visitor_id: visitor, events: [{ type: "view", product_id: productId, client_event_id: id }] }),
          signal: AbortSignal.timeout(15000),
        })
        await res.arrayBuffer()
        return { visitor, id, status: res.status, retryAfter: res.headers.get("retry-after") }
      }
      // One at a time, each request is a flush of its own: only the poisoned one fails.
      const alone = [await post("fault_clean_visitor"), await post(poison), await post("fault_clean_visitor")]
      expect(alone.map((a) => a.status)).toEqual([202, 503, 202])
      // Concurrent: requests share flushes. Every poisoned request fails; a clean
      // one fails only with a flush it shared with one, and then wrote nothing.
      const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => post(i % 8 === 0 ? poison : `fault_clean_${i % 5}`)))
      expect(burst.filter((a) => a.status !== 202 && a.status !== 503)).toEqual([])
      expect(burst.filter((a) => a.visitor === poison).every((a) => a.status === 503)).toBe(true)
      expect(burst.filter((a) => a.status === 503).every((a) => Number(a.retryAfter) > 0)).toBe(true)
      const all = [...alone, ...burst]
      const rows = await db.query(`SELECT client_event_id, count(*)::int AS n FROM interest_event WHERE client_event_id = ANY($1) GROUP BY 1`, [
        all.map((a) => a.id),
      ])
      const stored = new Map(rows.rows.map((r: { client_event_id: string; n: number }) => [r.client_event_id, r.n]))
      expect(all.filter((a) => a.status === 202 && stored.get(a.id) !== 1)).toEqual([])
      expect(all.filter((a) => a.status === 503 && stored.has(a.id))).toEqual([])
      // The queue goes on after failed flushes.
      expect((await post("fault_clean_visitor")).status).toBe(202)
    } finally {
      await db.query(`ALTER TABLE interest_event DROP CONSTRAINT IF EXISTS interest_fault_poison`)
    }
  })
})
