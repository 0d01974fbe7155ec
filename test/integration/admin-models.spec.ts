import { api, closeDb, sql, uniqueId, waitFor } from "../support/harness"

async function adminToken(): Promise<string> {
  const res = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.access_token
}

const METRICS = {
  report: "lstm beats markov on hr@10",
  evaluation: {
    results: [{ method: "lstm", level: "category", cohort: "all", k: 10, hr: 0.41, ndcg: 0.22, mrr: 0.18, recall: 0.3, precision: 0.04 }],
  },
}

/** A model version as a training run writes it, with bulky artifacts and a segment assignment per customer. */
async function insertVersion(status: "training" | "ready" | "failed", createdAt: string): Promise<string> {
  const id = uniqueId("imv")
  await sql(
    `INSERT INTO interest_model_version
       (id, status, is_active, artifacts, metrics, segment_assignment, backend, duration_ms, event_count, customer_count, error, created_at)
     VALUES ($1, $2, false, $3, $4, $5, 'cpu', 1234, 500, 40, $6, $7)`,
    [
      id,
      status,
      JSON.stringify({ weights: "x".repeat(50_000), segments: [] }),
      JSON.stringify(METRICS),
      JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ segment_id: "iseg_x", customer_id: `cus_${i}`, distance: null }))),
      status === "failed" ? "out of memory" : null,
      createdAt,
    ]
  )
  return id
}

const activeIds = async (): Promise<string[]> =>
  (await sql<{ id: string }>(`SELECT id FROM interest_model_version WHERE is_active AND deleted_at IS NULL`)).map(
    (r) => r.id
  )

describe("admin model versions", () => {
  let token: string
  let previousActive: string[]
  let older: string
  let newer: string
  let failed: string

  beforeAll(async () => {
    token = await adminToken()
    previousActive = await activeIds()
    older = await insertVersion("ready", "2001-01-01T00:00:00Z")
    newer = await insertVersion("ready", "2001-01-02T00:00:00Z")
    failed = await insertVersion("failed", "2001-01-03T00:00:00Z")
  })

  afterAll(async () => {
    // Other files share the database: give back the version that served before,
    // through the same route, which restores its segment membership in the same
    // transaction; and let the bus take this file's interest.model_activated jobs
    // (it polls staged jobs every few seconds) so none is left to the next file.
    try {
      if (previousActive.length) {
        const restored = await api(`/admin/interest/models/${previousActive[0]}/activate`, { token, body: {} })
        expect(restored.status).toBe(200)
      } else {
        await sql(`UPDATE interest_model_version SET is_active = false WHERE id = ANY($1)`, [[older, newer, failed]])
      }
      await waitFor(
        async () => (await sql(`SELECT 1 FROM staged_job WHERE event_name = 'interest.model_activated'`)).length === 0,
        { timeoutMs: 30000, what: "the interest.model_activated jobs taken by the bus" }
      )
    } finally {
      await closeDb()
    }
  })

  it("lists versions newest first, without artifacts", async () => {
    const res = await api(`/admin/interest/models?limit=200`, { token })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ offset: 0, limit: 200 })
    const ids = res.body.models.map((m: { id: string }) => m.id)
    expect(ids.indexOf(failed)).toBeLessThan(ids.indexOf(newer))
    expect(ids.indexOf(newer)).toBeLessThan(ids.indexOf(older))
    for (const m of res.body.models) {
      expect(m).not.toHaveProperty("artifacts")
      expect(m).not.toHaveProperty("segment_assignment")
      expect(m.metrics ?? {}).not.toHaveProperty("assignment")
    }
    const mine = res.body.models.find((m: { id: string }) => m.id === failed)
    expect(mine).toMatchObject({
      status: "failed",
      is_active: false,
      metrics: METRICS,
      backend: "cpu",
      duration_ms: 1234,
      event_count: 500,
      customer_count: 40,
      error: "out of memory",
      activated_at: null,
    })
    expect(mine.created_at).toBe("2001-01-03T00:00:00.000Z")
    expect(JSON.stringify(res.body).length).toBeLessThan(50_000)
  })

  it("filters by status and paginates", async () => {
    const failedOnly = await api(`/admin/interest/models?status=failed&limit=200`, { token })
    expect(failedOnly.body.models.every((m: { status: string }) => m.status === "failed")).toBe(true)
    expect(failedOnly.body.models.map((m: { id: string }) => m.id)).toContain(failed)
    const all = await api(`/admin/interest/models`, { token })
    const page = await api(`/admin/interest/models?limit=1&offset=1`, { token })
    expect(page.body).toMatchObject({ count: all.body.count, offset: 1, limit: 1 })
    expect(page.body.models).toHaveLength(1)
    expect((await api(`/admin/interest/models?status=nope`, { token })).status).toBe(400)
    expect((await api(`/admin/interest/models?limit=x`, { token })).status).toBe(400)
  })

  it("answers one version without artifacts, 404 when unknown", async () => {
    const res = await api(`/admin/interest/models/${newer}`, { token })
    expect(res.status).toBe(200)
    expect(res.body.model).toMatchObject({ id: newer, status: "ready", metrics: METRICS })
    expect(res.body.model.metrics).not.toHaveProperty("assignment")
    expect(res.body.model).not.toHaveProperty("artifacts")
    expect(res.body.model).not.toHaveProperty("segment_assignment")
    const missing = await api(`/admin/interest/models/imv_unknown`, { token })
    expect(missing.status).toBe(404)
    expect(missing.body.message).toBe("Model version with id: imv_unknown was not found.")
  })

  it("activates a ready version, switching exactly one active (rollback included)", async () => {
    const first = await api(`/admin/interest/models/${older}/activate`, { token, body: {} })
    expect(first.status).toBe(200)
    expect(first.body.model).toMatchObject({ id: older, is_active: true })
    expect(first.body.model.activated_at).toBeTruthy()
    expect(await activeIds()).toEqual([older])

    const second = await api(`/admin/interest/models/${newer}/activate`, { token, body: {} })
    expect(second.status).toBe(200)
    expect(await activeIds()).toEqual([newer])

    // Rollback to the older one.
    const back = await api(`/admin/interest/models/${older}/activate`, { token, body: {} })
    expect(back.status).toBe(200)
    expect(await activeIds()).toEqual([older])

    // Activating the serving one again changes nothing.
    const again = await api(`/admin/interest/models/${older}/activate`, { token, body: {} })
    expect(again.status).toBe(200)
    expect(await activeIds()).toEqual([older])
  })

  it("refuses to activate a version that is not ready, and an unknown one", async () => {
    const res = await api(`/admin/interest/models/${failed}/activate`, { token, body: {} })
    expect(res.status).toBe(400)
    expect(res.body.type).toBe("not_allowed")
    expect(await activeIds()).toEqual([older])
    const training = await insertVersion("training", "2001-01-04T00:00:00Z")
    expect((await api(`/admin/interest/models/${training}/activate`, { token, body: {} })).status).toBe(400)
    expect((await api(`/admin/interest/models/imv_unknown/activate`, { token, body: {} })).status).toBe(404)
  })

  it("activates concurrently without breaking the single-active rule", async () => {
    const results = await Promise.all([
      api(`/admin/interest/models/${newer}/activate`, { token, body: {} }),
      api(`/admin/interest/models/${older}/activate`, { token, body: {} }),
      api(`/admin/interest/models/${newer}/activate`, { token, body: {} }),
    ])
    expect(results.map((r) => r.status)).toEqual([200, 200, 200])
    const active = await activeIds()
    expect(active).toHaveLength(1)
    expect([older, newer]).toContain(active[0])
    await api(`/admin/interest/models/${older}/activate`, { token, body: {} })
  })

  it("soft-deletes a version but refuses the active one", async () => {
    const refused = await api(`/admin/interest/models/${older}`, { token, method: "DELETE" })
    expect(refused.status).toBe(400)
    expect(refused.body.type).toBe("not_allowed")
    const [still] = await sql(`SELECT deleted_at FROM interest_model_version WHERE id = $1`, [older])
    expect(still.deleted_at).toBeNull()

    const res = await api(`/admin/interest/models/${newer}`, { token, method: "DELETE" })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ id: newer, object: "interest_model_version", deleted: true })
    const [row] = await sql(`SELECT deleted_at FROM interest_model_version WHERE id = $1`, [newer])
    expect(row.deleted_at).not.toBeNull()
    expect((await api(`/admin/interest/models/${newer}`, { token })).status).toBe(404)
    const list = await api(`/admin/interest/models?limit=200`, { token })
    expect(list.body.models.map((m: { id: string }) => m.id)).not.toContain(newer)
    expect((await api(`/admin/interest/models/${newer}/activate`, { token, body: {} })).status).toBe(404)
    expect((await api(`/admin/interest/models/${newer}`, { token, method: "DELETE" })).status).toBe(404)
  })
})
