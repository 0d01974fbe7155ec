import path from "path"
import { assignArm } from "../../src/engine/experiments/assignment"
import { SeededRandom } from "../../src/engine/util/random"
import { api, apiFrom, closeDb, createCustomer, insertHistory, placeOrder, products, sql, uniqueId, waitFor } from "../support/harness"

/**
 * Online experiments on the real shop: the admin creates, starts and stops
 * them; GET /store/recommendations splits shoppers by the shares and tags each
 * list with its experiment and arm; clicks, identify and order.placed feed the
 * per-arm results. Each test uses its own placement and stops its experiment.
 */
const HEADER = "x-interest-visitor-id"
type Arm = { name: string; share: number; strategy: string; model_version_id?: string }
type Experiment = { id: string; status: string; placement: string; arms: Arm[]; control_arm: string; winner: string | null }

describe("online experiments", () => {
  let adminToken: string
  const created: string[] = []

  const admin = (path: string, body?: unknown) => api(path, { token: adminToken, body, method: body === undefined ? "GET" : "POST" })

  async function startExperiment(placement: string, arms: Arm[]): Promise<Experiment> {
    const res = await admin("/admin/interest/experiments", { name: `test ${placement}`, placement, arms })
    expect(res.status).toBe(201)
    created.push(res.body.experiment.id)
    const started = await admin(`/admin/interest/experiments/${res.body.experiment.id}/start`, {})
    expect(started.status).toBe(200)
    return started.body.experiment
  }

  const experimentRows = () => sql(`SELECT id, status, arms, started_at, stopped_at FROM interest_experiment ORDER BY id`)

  const readyVersions = async (): Promise<{ id: string; is_active: boolean }[]> =>
    await sql(
      `SELECT id, is_active FROM interest_model_version WHERE status = 'ready' AND deleted_at IS NULL AND artifacts IS NOT NULL
       ORDER BY is_active DESC, created_at DESC`
    )

  /**
   * An active version and another ready one: those other files trained when
   * they ran first in this database, else two training runs here on a small
   * simulated history (each run activates its version).
   */
  async function activeAndCandidate(): Promise<{ active: string; candidate: string }> {
    let versions = await readyVersions()
    if (versions.length < 2 || !versions[0].is_active) {
      if (!(await sql(`SELECT 1 FROM interest_event LIMIT 1`)).length || versions.length === 0) {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { generateCatalog, simulateBehaviour } = require(path.join(__dirname, "..", "..", "dist", "demo", "synthetic"))
        // The seeded test catalogue's generator and seed (test/support/test-seed.js).
        const catalog = generateCatalog({ products: 40, categories: 8, collections: 3, tags: 5, types: 2, seed: 7 })
        const { events } = simulateBehaviour({ catalog, customers: 40, start: new Date(Date.now() - 60 * 86_400_000), days: 60, seed: 5 })
        await insertHistory(events, uniqueId("xhist"))
      }
      for (let trained = 0; versions.length < 2 || !versions[0].is_active; trained++) {
        expect(trained).toBeLessThan(2)
        const run = await admin("/admin/interest/models/train", {})
        expect(run.status).toBe(202)
        const done = await waitFor(
          async () => {
            const r = await admin(`/admin/interest/runs/${run.body.run.id}`)
            return r.body.run.status === "running" ? null : r.body.run
          },
          { timeoutMs: 240_000, intervalMs: 1000, what: "a training run" }
        )
        expect(done.status).toBe("succeeded")
        versions = await readyVersions()
      }
    }
    return { active: versions[0].id, candidate: versions[1].id }
  }

  beforeAll(async () => {
    const auth = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
    expect(auth.status).toBe(200)
    adminToken = auth.body.access_token
    // Whatever an earlier run left running must not hold these placements.
    await sql(`UPDATE interest_experiment SET status = 'stopped', stopped_at = now() WHERE status = 'running'`)
  })

  afterAll(async () => {
    for (const id of created) await admin(`/admin/interest/experiments/${id}/stop`, {})
    await closeDb()
  })

  it("creates a draft, starts and stops it, and lists it", async () => {
    const draft = await admin("/admin/interest/experiments", {
      name: "model vs none",
      placement: "related",
      arms: [
        { name: "model", share: 0.5, strategy: "model" },
        { name: "hidden", share: 0.5, strategy: "none" },
      ],
    })
    expect(draft.status).toBe(201)
    const id = draft.body.experiment.id
    created.push(id)
    expect(draft.body.experiment).toMatchObject({ status: "draft", control_arm: "hidden", started_at: null })
    const started = await admin(`/admin/interest/experiments/${id}/start`, {})
    expect(started.status).toBe(200)
    expect(started.body.experiment.status).toBe("running")
    expect(started.body.experiment.started_at).not.toBeNull()
    // Started once only.
    expect((await admin(`/admin/interest/experiments/${id}/start`, {})).status).toBe(400)
    const stopped = await admin(`/admin/interest/experiments/${id}/stop`, { winner: "model" })
    expect(stopped.status).toBe(200)
    expect(stopped.body.experiment).toMatchObject({ status: "stopped", winner: "model" })
    expect((await admin(`/admin/interest/experiments/${id}`)).body.experiment.status).toBe("stopped")
    const list = await admin("/admin/interest/experiments?status=stopped&limit=100")
    expect(list.status).toBe(200)
    expect(list.body.experiments.map((e: Experiment) => e.id)).toContain(id)
    expect((await admin("/admin/interest/experiments/iexp_does_not_exist")).status).toBe(404)
  })

  it("answers 400 to bad input and changes nothing", async () => {
    const running = await startExperiment("recently_viewed", [
      { name: "model", share: 0.5, strategy: "model" },
      { name: "trending", share: 0.5, strategy: "trending" },
    ])
    const second = await admin("/admin/interest/experiments", {
      name: "second",
      placement: "recently_viewed",
      arms: [
        { name: "model", share: 0.5, strategy: "model" },
        { name: "none", share: 0.5, strategy: "none" },
      ],
    })
    expect(second.status).toBe(201)
    created.push(second.body.experiment.id)
    const before = await experimentRows()

    const bad: [string, unknown, RegExp][] = [
      [
        "/admin/interest/experiments",
        { name: "x", placement: "for_you", arms: [{ name: "a", share: 0.5, strategy: "model" }, { name: "b", share: 0.4, strategy: "trending" }] },
        /sum to 1/,
      ],
      [
        "/admin/interest/experiments",
        { name: "x", placement: "for_you", arms: [{ name: "a", share: 0.5, strategy: "model" }, { name: "b", share: 0.5, strategy: "random" }] },
        /strategy must be one of/,
      ],
      [
        "/admin/interest/experiments",
        { name: "x", placement: "nowhere", arms: [{ name: "a", share: 0.5, strategy: "model" }, { name: "b", share: 0.5, strategy: "none" }] },
        /placement must be one of/,
      ],
      [`/admin/interest/experiments/${second.body.experiment.id}/start`, {}, /already running on the recently_viewed placement/],
      [`/admin/interest/experiments/${running.id}/stop`, { winner: "nobody" }, /not one of the arms/],
    ]
    for (const [path, body, message] of bad) {
      const res = await admin(path, body)
      expect(res.status).toBe(400)
      expect(res.body.message).toMatch(message)
    }
    expect(await experimentRows()).toEqual(before)
  })

  it("splits 2,000 simulated visitors within 3 points of the shares, and counts them per arm", async () => {
    const experiment = await startExperiment("trending", [
      { name: "model", share: 0.5, strategy: "model" },
      { name: "control", share: 0.5, strategy: "trending" },
    ])
    const rng = new SeededRandom(15)
    const visitors = Array.from({ length: 2000 }, (_, i) => `sim${i}${uniqueId("v").replace(/[^A-Za-z0-9]/g, "")}`.slice(0, 64))
    const seen: Record<string, number> = { model: 0, control: 0 }
    let clicks = 0
    // Four local addresses: 500 lists each, under the per-IP budget.
    const froms = ["127.0.15.1", "127.0.15.2", "127.0.15.3", "127.0.15.4"]
    const visit = async (i: number): Promise<void> => {
      const from = froms[i % froms.length]
      const res = await apiFrom(from, "/store/recommendations?placement=trending&limit=3", { headers: { [HEADER]: visitors[i] } })
      expect(res.status).toBe(200)
      expect(res.body.experiment_id).toBe(experiment.id)
      // The arm the assignment gives this visitor, every time.
      expect(res.body.arm).toBe(assignArm(experiment.id, visitors[i], experiment.arms))
      seen[res.body.arm]++
      // Some visitors click the first product (with the tags the list gave it).
      if (rng.next() < 0.05 && res.body.products.length) {
        const p = res.body.products[0]
        expect(p).toMatchObject({ recommendation_id: res.body.recommendation_id, experiment_id: experiment.id, arm: res.body.arm })
        clicks++
        const ev = await apiFrom(from, "/store/interest/events", {
          body: { visitor_id: visitors[i], events: [{ type: "click", product_id: p.id, recommendation_id: p.recommendation_id, experiment_id: p.experiment_id, arm: p.arm }] },
        })
        expect(ev.status).toBe(202)
        expect(ev.body.results[0].attributed).toBe(true)
      }
    }
    for (let i = 0; i < visitors.length; i += 8) {
      await Promise.all(Array.from({ length: Math.min(8, visitors.length - i) }, (_, k) => visit(i + k)))
    }
    expect(Math.abs(seen.model / 2000 - 0.5)).toBeLessThanOrEqual(0.03)
    expect(clicks).toBeGreaterThan(0)

    const results = await waitFor(async () => {
      const res = await admin(`/admin/interest/experiments/${experiment.id}/results`)
      const total = res.body.arms?.reduce((s: number, a: { shoppers: number }) => s + a.shoppers, 0)
      return total === 2000 ? res.body : null
    })
    const model = results.arms.find((a: { name: string }) => a.name === "model")
    const control = results.arms.find((a: { name: string }) => a.name === "control")
    expect(model.shoppers).toBe(seen.model)
    expect(control.shoppers).toBe(seen.control)
    expect(model.impressions + control.impressions).toBe(2000)
    expect(model.clicks + control.clicks).toBe(clicks)
    expect(results.srm.mismatch).toBe(false)
    expect(results.control).toBe("control")
    expect(control.vs_control).toBeNull()
    expect(model.vs_control.conversion.difference).toHaveProperty("low")
    expect(results.daily.length).toBeGreaterThanOrEqual(1)
  })

  it("credits an order placed after a click to the arm that served the list, with its revenue", async () => {
    const experiment = await startExperiment("for_you", [
      { name: "model", share: 0.5, strategy: "model" },
      { name: "popular", share: 0.5, strategy: "popular_in_category" },
    ])
    const customer = await createCustomer()
    const list = await api("/store/recommendations?placement=for_you&limit=4", { token: customer.token })
    expect(list.status).toBe(200)
    const arm: string = list.body.arm
    expect(arm).toBe(assignArm(experiment.id, `c:${customer.id}`, experiment.arms))
    const product = list.body.products[0]
    const click = await api("/store/interest/events", {
      token: customer.token,
      body: { events: [{ type: "click", product_id: product.id, recommendation_id: list.body.recommendation_id }] },
    })
    expect(click.body.results[0].attributed).toBe(true)
    const variant = (await products(200)).find((p) => p.id === product.id)
    expect(variant).toBeDefined()
    const order = await placeOrder(customer, [{ variantId: variant!.variantId, quantity: 2 }])
    const [line] = await sql<{ revenue: string }>(`SELECT (unit_price * quantity)::text AS revenue FROM line_item WHERE order_id = $1`, [order.id])
    await waitFor(async () => (await sql(`SELECT 1 FROM interest_event WHERE source_order_id = $1`, [order.id])).length > 0)

    const res = await admin(`/admin/interest/experiments/${experiment.id}/results`)
    expect(res.status).toBe(200)
    const mine = res.body.arms.find((a: { name: string }) => a.name === arm)
    const other = res.body.arms.find((a: { name: string }) => a.name !== arm)
    expect(mine).toMatchObject({ shoppers: 1, orders: 1, attributed_orders: 1, purchases: 1, clicks: 1 })
    expect(mine.attributed_revenue).toBe(Number(line.revenue))
    expect(mine.revenue).toBe(Number(line.revenue))
    expect(mine.metrics.conversion.estimate).toBe(1)
    expect(other).toMatchObject({ shoppers: 0, orders: 0, attributed_orders: 0, attributed_revenue: 0 })
  })

  it("serves a candidate model version's arm from that version, and refuses versions that cannot serve", async () => {
    const { active, candidate } = await activeAndCandidate()
    const failed = uniqueId("imv")
    const deleted = uniqueId("imv")
    await sql(`INSERT INTO interest_model_version (id, status, is_active, error) VALUES ($1, 'failed', false, 'out of memory')`, [failed])
    await sql(`INSERT INTO interest_model_version (id, status, is_active, artifacts, deleted_at) SELECT $1, 'ready', false, artifacts, now() FROM interest_model_version WHERE id = $2`, [
      deleted,
      candidate,
    ])
    const arms = (version: string, strategy = "model"): Arm[] => [
      { name: "active", share: 0.5, strategy: "model" },
      { name: "candidate", share: 0.5, strategy, model_version_id: version },
    ]
    const before = await experimentRows()
    const bad: [Arm[], RegExp][] = [
      [arms("imv_does_not_exist"), /imv_does_not_exist of arm candidate was not found/],
      [arms(failed), /is failed: only a ready version can serve an arm/],
      [arms(deleted), /was deleted/],
      [arms(candidate, "trending"), /only a model arm can serve one/],
      [arms("not a version id"), /model_version_id must be a model version id/],
    ]
    for (const [badArms, message] of bad) {
      const res = await admin("/admin/interest/experiments", { name: "bad", placement: "related", arms: badArms })
      expect(res.status).toBe(400)
      expect(res.body.message).toMatch(message)
    }
    expect(await experimentRows()).toEqual(before)

    // "related" was shipped by the first test: a new experiment there takes over.
    const experiment = await startExperiment("related", arms(candidate))
    expect(experiment.control_arm).toBe("active")
    expect(experiment.arms[1]).toMatchObject({ name: "candidate", model_version_id: candidate })
    // A version that serves an arm is not deleted from under it.
    const del = await api(`/admin/interest/models/${candidate}`, { token: adminToken, method: "DELETE" })
    expect(del.status).toBe(400)
    expect(del.body.message).toMatch(/serves an arm of experiment/)

    const [product] = await products(1)
    const served: { id: string; arm: string; version: string }[] = []
    for (let i = 0; i < 40; i++) {
      const visitor = uniqueId(`cv${i}`).replace(/[^A-Za-z0-9_]/g, "")
      const res = await apiFrom("127.0.15.9", `/store/recommendations?placement=related&product_id=${product.id}&limit=4`, { headers: { [HEADER]: visitor } })
      expect(res.status).toBe(200)
      expect(res.body.experiment_id).toBe(experiment.id)
      expect(res.body.arm).toBe(assignArm(experiment.id, visitor, experiment.arms))
      // Each arm's list is ranked by its own version, and says so.
      expect(res.body.model_version_id).toBe(res.body.arm === "candidate" ? candidate : active)
      served.push({ id: res.body.recommendation_id, arm: res.body.arm, version: res.body.model_version_id })
    }
    expect(new Set(served.map((s) => s.arm))).toEqual(new Set(["active", "candidate"]))
    const impressions = await waitFor(async () => {
      const rows = await sql<{ id: string; arm: string; model_version_id: string }>(
        `SELECT id, arm, model_version_id FROM interest_impression WHERE id = ANY($1)`,
        [served.map((s) => s.id)]
      )
      return rows.length === served.length ? rows : null
    })
    const byId = new Map(impressions.map((r) => [r.id, r]))
    for (const s of served) expect(byId.get(s.id)).toMatchObject({ arm: s.arm, model_version_id: s.arm === "candidate" ? candidate : active })
    const results = await admin(`/admin/interest/experiments/${experiment.id}/results`)
    expect(results.body.arms.map((a: { name: string; model_version_id: string | null }) => [a.name, a.model_version_id])).toEqual([
      ["active", null],
      ["candidate", candidate],
    ])

    // Stopped without a winner: the active version serves everyone again.
    expect((await admin(`/admin/interest/experiments/${experiment.id}/stop`, {})).status).toBe(200)
    const after = await api(`/store/recommendations?placement=related&product_id=${product.id}&limit=4`, { headers: { [HEADER]: uniqueId("cvafter").replace(/[^A-Za-z0-9_]/g, "") } })
    expect(after.body).toMatchObject({ experiment_id: null, arm: null, model_version_id: active })
  })

  it("keeps a visitor's arm once they log in (the identify link decides)", async () => {
    const experiment = await startExperiment("segment", [
      { name: "model", share: 0.5, strategy: "model" },
      { name: "control", share: 0.5, strategy: "trending" },
    ])
    const customer = await createCustomer()
    // A visitor id whose arm differs from the one the customer id alone would get.
    const byCustomer = assignArm(experiment.id, `c:${customer.id}`, experiment.arms)
    let visitor = ""
    for (let i = 0; !visitor || assignArm(experiment.id, visitor, experiment.arms) === byCustomer; i++) visitor = uniqueId(`kv${i}`).replace(/[^A-Za-z0-9_]/g, "")
    const anonymous = await api("/store/recommendations?placement=segment&limit=3", { headers: { [HEADER]: visitor } })
    expect(anonymous.status).toBe(200)
    expect(anonymous.body.arm).not.toBe(byCustomer)
    const identify = await api("/store/interest/identify", { token: customer.token, body: { visitor_id: visitor } })
    expect(identify.status).toBe(200)
    const loggedIn = await api("/store/recommendations?placement=segment&limit=3", { token: customer.token })
    expect(loggedIn.status).toBe(200)
    expect(loggedIn.body.experiment_id).toBe(experiment.id)
    expect(loggedIn.body.arm).toBe(anonymous.body.arm)
    // Counted once, as the customer, in that arm.
    const res = await waitFor(async () => {
      const r = await admin(`/admin/interest/experiments/${experiment.id}/results`)
      return r.body.arms?.reduce((s: number, a: { impressions: number }) => s + a.impressions, 0) === 2 ? r.body : null
    })
    expect(res.arms.find((a: { name: string }) => a.name === anonymous.body.arm).shoppers).toBe(1)
    expect(res.arms.find((a: { name: string }) => a.name !== anonymous.body.arm).shoppers).toBe(0)
  })
})
