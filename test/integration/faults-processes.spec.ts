import { spawnSync } from "child_process"
import os from "os"
import path from "path"
import { Client } from "pg"
import { itState, uniqueId, waitFor } from "../support/harness"

/* eslint-disable @typescript-eslint/no-var-requires */
const ROOT = path.resolve(__dirname, "..", "..")
const { runMedusa, startMedusa } = require("../../scripts/lib/medusa")
const { freePort, ensureDatabase, dropDatabase, withDatabase } = require("../../scripts/lib/postgres")
const { writeTestSeed, ADMIN } = require("../support/test-seed")
const { generateCatalog, simulateBehaviour } = require(path.join(ROOT, "dist", "demo", "synthetic"))

/**
 * Processes dying at the worst moment, on a database of this file's own (the
 * shared one keeps its segments): a server SIGKILLed during ingestion on the
 * Redis event bus, a server SIGKILLed in the middle of training, and two
 * instances asked to train at the same moment.
 */
const REDIS_BASE = process.env.REDIS_URL || "redis://127.0.0.1:6379"
/** A Redis database index of this file's own: the suite's main instance uses 0. */
const REDIS_DB = 13
const redisAnswers = ((): boolean => {
  const u = new URL(REDIS_BASE)
  const probe = spawnSync("bash", ["-c", `exec 3<>/dev/tcp/${u.hostname}/${u.port || 6379}`], { timeout: 3000 })
  return probe.status === 0
})()

type Shop = { url: string; stop: () => Promise<void>; child: { kill(signal: string): boolean; once(e: string, f: () => void): void; exitCode: number | null } }
type Run = { id: string; status: string; error: string | null; model_version_id: string | null; progress: { stage?: string } }

const database = `interest_fault_proc_${process.pid}_${Date.now().toString(36)}`
let serverUrl: string
let databaseUrl: string
let db: Client
let productIds: string[]
const shops: Shop[] = []

async function start(name: string, env: Record<string, string> = {}): Promise<Shop> {
  const shop: Shop = await startMedusa({
    port: await freePort(),
    // REDIS_URL "" = local event bus: a shared Redis queue would hand this
    // database's events to the suite's main instance.
    env: { DATABASE_URL: databaseUrl, REDIS_URL: "", ...env },
    logFile: path.join(os.tmpdir(), `medusa-interest-faultproc-${process.pid}-${name}.log`),
  })
  shops.push(shop)
  return shop
}

async function sigkill(shop: Shop): Promise<void> {
  if (shop.child.exitCode !== null) return
  const exited = new Promise<void>((r) => shop.child.once("exit", () => r()))
  shop.child.kill("SIGKILL")
  await exited
}

async function call(shop: Shop, method: string, p: string, token?: string, body?: unknown, visitor?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${shop.url}${p}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(visitor ? { "x-interest-visitor-id": visitor } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20000),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : null }
}

async function adminToken(shop: Shop): Promise<string> {
  const res = await call(shop, "POST", "/admin/auth/token", undefined, ADMIN)
  expect(res.status).toBe(200)
  return res.body.access_token
}

const query = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await db.query(text, params)).rows as T[]
const activeVersion = async (): Promise<string | null> =>
  (await query<{ id: string }>(`SELECT id FROM interest_model_version WHERE is_active AND deleted_at IS NULL`))[0]?.id ?? null

/** The run's heartbeat_at in ms since the epoch (0 when none). */
const heartbeat = async (runId: string): Promise<number> => {
  const [row] = await query<{ heartbeat_at: Date | null }>(`SELECT heartbeat_at FROM interest_training_run WHERE id = $1`, [runId])
  return row?.heartbeat_at ? new Date(row.heartbeat_at).getTime() : 0
}

async function finished(shop: Shop, token: string, runId: string): Promise<Run> {
  return await waitFor(
    async () => {
      const res = await call(shop, "GET", `/admin/interest/runs/${runId}`, token)
      expect(res.status).toBe(200)
      return res.body.run.status === "running" ? null : (res.body.run as Run)
    },
    { timeoutMs: 300_000, intervalMs: 1000 }
  )
}

beforeAll(async () => {
  serverUrl = (itState() as unknown as { serverUrl: string }).serverUrl
  await ensureDatabase(serverUrl, database)
  databaseUrl = withDatabase(serverUrl, database)
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: "" }
  await runMedusa(["migrations", "run"], { env })
  const seed = writeTestSeed(path.join(os.tmpdir(), `medusa-interest-faultproc-seed-${process.pid}.json`))
  await runMedusa(["seed", "-f", seed.file], { env })
  db = new Client({ connectionString: databaseUrl })
  await db.connect()
  productIds = (await query<{ id: string }>(`SELECT id FROM product WHERE status = 'published' ORDER BY id`)).map((r) => r.id)
}, 240_000)

afterAll(async () => {
  for (const shop of shops) if (shop.child.exitCode === null) await shop.stop()
  await db?.end()
  await dropDatabase(serverUrl, database).catch(() => undefined)
})

const describeRedis = redisAnswers ? describe : describe.skip
describeRedis(`SIGKILL during ingestion on the Redis event bus (${REDIS_BASE}/${REDIS_DB})`, () => {
  const redisUrl = (() => {
    const u = new URL(REDIS_BASE)
    u.pathname = `/${REDIS_DB}`
    return u.toString()
  })()

  beforeAll(async () => {
    // Jobs left in this index by an earlier run belong to a dropped database.
    const Redis = require("ioredis")
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    await redis.connect()
    await redis.flushdb()
    await redis.quit()
  })

  it("stores every event that got a 202 exactly once after a restart", async () => {
    const env = { REDIS_URL: redisUrl }
    const shop = await start("redis-1", env)
    const accepted: string[] = []
    let killed = false
    const killAt = Date.now() + 3000
    const client = async (c: number): Promise<void> => {
      for (let i = 0; !killed; i++) {
        const ids = Array.from({ length: 5 }, (_, j) => `kill_${c}_${i}_${j}_${uniqueId("e")}`)
        try {
          const res = await call(shop, "POST", "/store/interest/events", undefined, {
            visitor_id: `fault_visitor_${c}`,
            events: ids.map((id, j) => ({ type: "view", product_id: productIds[(i + j) % productIds.length], client_event_id: id })),
          })
          if (res.status === 202) accepted.push(...ids)
        } catch {
          // The connection died with the server: that batch got no 202.
        }
      }
    }
    const killer = (async () => {
      while (Date.now() < killAt) await new Promise((r) => setTimeout(r, 50))
      killed = true
      await sigkill(shop)
    })()
    // The killer stops the clients; the clients' loops end when `killed` is set.
    await Promise.all([killer, ...Array.from({ length: 4 }, (_, c) => client(c))])
    expect(accepted.length).toBeGreaterThan(50)
    // The route writes before its 202, so what got a 202 is already stored; the
    // restart (whose bus worker starts before subscribers exist) must neither
    // lose nor duplicate any of it.
    const restarted = await start("redis-2", env)
    const storedCounts = async (): Promise<Map<string, number>> =>
      new Map(
        (
          await query<{ client_event_id: string; n: number }>(
            `SELECT client_event_id, count(*)::int AS n FROM interest_event WHERE client_event_id = ANY($1) GROUP BY 1`,
            [accepted]
          )
        ).map((r) => [r.client_event_id, r.n])
      )
    try {
      await waitFor(async () => (await storedCounts()).size === accepted.length, { timeoutMs: 120_000, intervalMs: 1000 })
    } catch (e) {
      // Say where the missing events are, so a failure can be diagnosed from the CI log.
      const stored = await storedCounts()
      const missing = accepted.filter((id) => !stored.has(id))
      const staged = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM staged_job WHERE event_name = 'interest.events_received'`
      )
      const Redis = require("ioredis")
      const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
      await redis.connect()
      const prefix = "EventBusRedisService:events-queue"
      const queue = {
        wait: await redis.llen(`${prefix}:wait`),
        active: await redis.llen(`${prefix}:active`),
        delayed: await redis.zcard(`${prefix}:delayed`),
        failed: await redis.zcard(`${prefix}:failed`),
        completed: await redis.zcard(`${prefix}:completed`),
        stalled: await redis.scard(`${prefix}:stalled`),
        failedReasons: await Promise.all(
          (await redis.zrange(`${prefix}:failed`, 0, 4)).map((id: string) => redis.hget(`${prefix}:${id}`, "failedReason"))
        ),
      }
      await redis.quit()
      throw new Error(
        `${missing.length} of ${accepted.length} accepted events not stored; staged_job rows left: ${staged[0].n}; ` +
          `queue: ${JSON.stringify(queue)}; first missing: ${missing.slice(0, 3).join(", ")} (${(e as Error).message})`
      )
    }
    const counts = await storedCounts()
    expect(accepted.filter((id) => counts.get(id) !== 1)).toEqual([])
    const duplicated = await query(`SELECT client_event_id FROM interest_event GROUP BY client_event_id HAVING count(*) > 1`)
    expect(duplicated).toEqual([])
    await restarted.stop()
    // Two boots, the load and up to two minutes of recovery (BullMQ notices the
    // dead worker's stalled jobs late): more than jest's default on a busy machine.
  }, 300_000)
})

describe("training killed midway, and two instances asked to train at once", () => {
  let shop: Shop
  let token: string
  let firstVersion: string

  beforeAll(async () => {
    // Two months of simulated shoppers over the seeded catalogue, written straight into the table.
    const catalog = generateCatalog({ products: 40, categories: 8, collections: 3, tags: 5, types: 2, seed: 7 })
    const { events } = simulateBehaviour({ catalog, customers: 60, start: new Date(Date.now() - 60 * 86_400_000), days: 60, seed: 5 })
    for (let i = 0; i < events.length; i += 500) {
      const params: unknown[] = []
      const values = events.slice(i, i + 500).map((e: { customerId: string; productId: string; type: string; timestamp: number; quantity?: number }, j: number) => {
        params.push(`hist_${i + j}`, `hist_${e.customerId}`, e.productId, e.type, e.quantity ?? 1, new Date(e.timestamp).toISOString(), `hist_${i + j}`)
        const b = j * 7
        return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6}, $${b + 7})`
      })
      await query(
        `INSERT INTO interest_event (id, customer_id, product_id, type, quantity, occurred_at, client_event_id) VALUES ${values.join(", ")}`,
        params
      )
    }
    shop = await start("train-1")
    token = await adminToken(shop)
    const first = await call(shop, "POST", "/admin/interest/models/train", token)
    expect(first.status).toBe(202)
    const run = await finished(shop, token, first.body.run.id)
    expect(run.status).toBe("succeeded")
    firstVersion = run.model_version_id as string
    expect(await activeVersion()).toBe(firstVersion)
  }, 400_000)

  it("a server killed mid-training keeps the active model serving, its run is marked failed, the next run succeeds", async () => {
    const started = await call(shop, "POST", "/admin/interest/models/train", token)
    expect(started.status).toBe(202)
    const runId = started.body.run.id as string
    // Kill while the worker thread is training (not while loading or saving).
    await waitFor(
      async () => (await query<Run>(`SELECT progress FROM interest_training_run WHERE id = $1`, [runId]))[0]?.progress?.stage === "training",
      { timeoutMs: 120_000, intervalMs: 100 }
    )
    await sigkill(shop)
    const lastBeat = await heartbeat(runId)
    expect(lastBeat).toBeGreaterThan(0)
    const left = await query<Run>(`SELECT status, model_version_id FROM interest_training_run WHERE id = $1`, [runId])
    expect(left[0].status).toBe("running")
    expect(left[0].model_version_id).not.toBeNull()
    expect((await query<{ status: string }>(`SELECT status FROM interest_model_version WHERE id = $1`, [left[0].model_version_id]))[0].status).toBe("training")

    shop = await start("train-2")
    // Failed at boot, before anyone read the run: the table says so already, with the last heartbeat.
    const [atBoot] = await query<Run & { heartbeat_at: string }>(`SELECT * FROM interest_training_run WHERE id = $1`, [runId])
    expect(atBoot.status).toBe("failed")
    expect(new Date(atBoot.heartbeat_at).getTime()).toBeGreaterThanOrEqual(lastBeat)
    expect(atBoot.error).toBe(
      `Interrupted: the process running it stopped (last heartbeat ${new Date(atBoot.heartbeat_at).toISOString().replace(/\.\d+Z$/, "Z")}).`
    )
    const deadVersion = atBoot.model_version_id as string
    const [version] = await query<{ status: string; error: string }>(`SELECT status, error FROM interest_model_version WHERE id = $1`, [deadVersion])
    expect(version).toEqual({ status: "failed", error: atBoot.error })
    token = await adminToken(shop)
    const models = await call(shop, "GET", "/admin/interest/models?limit=200", token)
    expect(models.status).toBe(200)
    expect(models.body.models.map((m: { id: string }) => m.id)).toContain(deadVersion)
    expect(models.body.models.filter((m: { status: string }) => m.status === "training")).toEqual([])
    const dead = await call(shop, "GET", `/admin/interest/runs/${runId}`, token)
    expect(dead.status).toBe(200)
    expect(dead.body.run).toMatchObject({ status: "failed", error: atBoot.error, model_version_id: deadVersion })

    // The version trained before keeps serving.
    expect(await activeVersion()).toBe(firstVersion)
    const served = await call(shop, "GET", "/store/recommendations?placement=trending", undefined, undefined, uniqueId("vis"))
    expect(served.status).toBe(200)
    expect(served.body.model_version_id).toBe(firstVersion)
    expect(served.body.products.length).toBeGreaterThan(0)

    const next = await call(shop, "POST", "/admin/interest/models/train", token)
    expect(next.status).toBe(202)
    expect(next.body.already_running).toBe(false)
    const run = await finished(shop, token, next.body.run.id)
    expect(run.status).toBe("succeeded")
    expect(await activeVersion()).toBe(run.model_version_id)
  })

  it("the process training a run writes its heartbeat every few seconds, also while saving holds the run's connection", async () => {
    // Saving inserts segments: a SHARE lock on that table stalls the run there for as long as the test wants.
    const blocker = new Client({ connectionString: databaseUrl })
    await blocker.connect()
    try {
      await blocker.query(`BEGIN`)
      await blocker.query(`LOCK TABLE interest_segment IN SHARE MODE`)
      const started = await call(shop, "POST", "/admin/interest/models/train", token)
      expect(started.status).toBe(202)
      const runId = started.body.run.id as string
      await waitFor(
        async () => (await query<Run>(`SELECT progress FROM interest_training_run WHERE id = $1`, [runId]))[0]?.progress?.stage === "saving",
        { timeoutMs: 120_000, intervalMs: 200 }
      )
      const first = await heartbeat(runId)
      // Beats every TRAINING_HEARTBEAT_MS (5 s): two more within 30 s.
      await waitFor(async () => (await heartbeat(runId)) > first, { timeoutMs: 30_000, intervalMs: 250 })
      const second = await heartbeat(runId)
      await waitFor(async () => (await heartbeat(runId)) > second, { timeoutMs: 30_000, intervalMs: 250 })
      expect((await query<Run>(`SELECT status FROM interest_training_run WHERE id = $1`, [runId]))[0].status).toBe("running")
      await blocker.query(`ROLLBACK`)
      const run = await finished(shop, token, runId)
      expect(run.status).toBe("succeeded")
    } finally {
      await blocker.end()
    }
  })

  it("two instances asked to train at the same moment run one training; the other reports it", async () => {
    const other = await start("train-3")
    const otherToken = await adminToken(other)
    const runsBefore = (await query(`SELECT id FROM interest_training_run`)).length
    const [a, b] = await Promise.all([
      call(shop, "POST", "/admin/interest/models/train", token),
      call(other, "POST", "/admin/interest/models/train", otherToken),
    ])
    // 202 with already_running, or 409 when the other instance had the lock but not yet its row.
    const answers = [a, b].map((r) => (r.status === 409 ? "conflict" : `${r.status}:${r.body.already_running}`)).sort()
    expect(["202:false,202:true", "202:false,conflict"]).toContain(answers.join(","))
    const winner = [a, b].find((r) => r.status === 202 && r.body.already_running === false)!
    const loser = [a, b].find((r) => r !== winner)!
    if (loser.status === 202) expect(loser.body.run.id).toBe(winner.body.run.id)
    expect((await query(`SELECT id FROM interest_training_run`)).length).toBe(runsBefore + 1)
    expect((await query(`SELECT id FROM interest_training_run WHERE status = 'running'`)).length).toBe(1)

    const run = await finished(other, otherToken, winner.body.run.id)
    expect(run.status).toBe("succeeded")
    expect(await activeVersion()).toBe(run.model_version_id)
    await other.stop()
  })

  // Security, here because it needs an active model (this file trains one).
  describe("an identified visitor id with an active model", () => {
    let visitor: string
    const served = (body: { products: { id: string; reason_code?: string }[] }): unknown => body.products.map((p) => [p.id, p.reason_code])

    it("serves an anonymous visitor their own recent views, and identify moves them to the customer (setup and control)", async () => {
      visitor = uniqueId("vis")
      const viewed = productIds.slice(-3)
      const posted = await call(shop, "POST", "/store/interest/events", undefined, {
        visitor_id: visitor,
        events: viewed.map((product_id) => ({ type: "view", product_id })),
      })
      expect(posted.status).toBe(202)
      await waitFor(async () => (await query(`SELECT 1 FROM interest_event WHERE visitor_id = $1`, [visitor])).length === 3)
      const own = await call(shop, "GET", "/store/recommendations?placement=recently_viewed", undefined, undefined, visitor)
      expect(own.body.products.slice(0, 3).map((p: { id: string }) => p.id).sort()).toEqual([...viewed].sort())

      const email = `${uniqueId("shopper")}@example.com`.toLowerCase()
      expect((await call(shop, "POST", "/store/customers", undefined, { email, password: "supersecret", first_name: "A", last_name: "B" })).status).toBe(200)
      const login = await call(shop, "POST", "/store/auth/token", undefined, { email, password: "supersecret" })
      const identified = await call(shop, "POST", "/store/interest/identify", login.body.access_token, { visitor_id: visitor })
      expect(identified.body.moved).toBe(3)
    })

    // identify gave these events to a customer: the visitor id alone must no longer read them.
    it("then reads nothing of that customer without logging in", async () => {
      const asVisitor = await call(shop, "GET", "/store/recommendations?placement=recently_viewed", undefined, undefined, visitor)
      const stranger = await call(shop, "GET", "/store/recommendations?placement=recently_viewed", undefined, undefined, uniqueId("fresh"))
      expect(served(asVisitor.body)).toEqual(served(stranger.body))
    })
  })
})
