import { api, closeDb, createCustomer, settledTableChecksums, sql, tableChecksums, uniqueId, waitFor } from "../support/harness"
import type { SegmentFlowReport } from "../../src/types/segment-flows"

/* eslint-disable @typescript-eslint/no-var-requires */
const { ADMIN } = require("../support/test-seed")

type Seg = { id: string; size: number; centroid: Record<string, number> }

/**
 * A ready version as a training run stores it, as far as the segment flow and
 * activation read it: its segment list (artifacts), the segments' ids (metrics)
 * and each customer's segment (segment_assignment).
 */
let stored = 0

async function storeVersion(segments: Seg[], assignment: [string, string][], extra: { status?: string; withAssignment?: boolean } = {}): Promise<string> {
  const id = uniqueId("imv_segflow")
  // Versions are ordered by created_at: two inserts in a row can share a
  // timestamp on a fast machine, so each gets its own, 1 ms after the last.
  stored++
  await sql(
    `INSERT INTO interest_model_version (id, status, is_active, artifacts, metrics, segment_assignment, backend, duration_ms, event_count, customer_count, created_at)
     VALUES ($1, $2, false, $3, $4, $5, 'none', 1, 0, $6, clock_timestamp() + make_interval(secs => $7::float8 / 1000))`,
    [
      id,
      extra.status ?? "ready",
      JSON.stringify({ segments: { list: segments.map((s) => ({ ...s, name: s.id })) } }),
      JSON.stringify({ segments: segments.map((s) => ({ id: s.id })) }),
      extra.withAssignment === false ? null : JSON.stringify(assignment.map(([customer_id, segment_id]) => ({ customer_id, segment_id, distance: null }))),
      assignment.length,
      stored,
    ]
  )
  return id
}

async function insertSegment(id: string, name: string): Promise<void> {
  await sql(
    `INSERT INTO interest_segment (id, name, auto_name, size, top_interests, centroid, cohesion, drift, status, pinned, model_version_id)
     VALUES ($1, $2, $2, 0, '[]', '{}', 0.5, NULL, 'active', false, NULL)`,
    [id, name]
  )
}

const activeIds = async (): Promise<string[]> =>
  (await sql<{ id: string }>(`SELECT id FROM interest_model_version WHERE is_active AND deleted_at IS NULL`)).map((r) => r.id)

describe("GET /admin/interest/flows", () => {
  let token: string
  let previousActive: string[]
  const tag = uniqueId("flowseg")
  const [A, B, C] = ["a", "b", "c"].map((s) => `seg_${tag}_${s}`)
  let c: string[]
  let v1: string
  let v2: string
  let failed: string
  let noAssignment: string
  const created: string[] = []

  beforeAll(async () => {
    const auth = await api("/admin/auth/token", { body: ADMIN })
    expect(auth.status).toBe(200)
    token = auth.body.access_token
    previousActive = await activeIds()
    c = []
    for (let i = 0; i < 6; i++) c.push((await createCustomer()).id)
    await insertSegment(A, `${tag} Runners`)
    await insertSegment(B, `${tag} Cooks`)
    await insertSegment(C, `${tag} Gardeners`)
    // Failed and assignment-less versions are never a default end: stored around the two real ones.
    failed = await storeVersion([], [], { status: "failed" })
    // v1: c0 c1 c2 in A, c3 c4 in B.
    v1 = await storeVersion(
      [
        { id: A, size: 3, centroid: { x: 1 } },
        { id: B, size: 2, centroid: { y: 1 } },
      ],
      [[c[0], A], [c[1], A], [c[2], A], [c[3], B], [c[4], B]]
    )
    // v2: c0 stays in A, c1 moves to B, c2 is gone, c3 stays in B, c4 moves to C (new), c5 is new in C.
    v2 = await storeVersion(
      [
        { id: A, size: 1, centroid: { x: 1, y: 1 } },
        { id: B, size: 2, centroid: { y: 1 } },
        { id: C, size: 2, centroid: { z: 1 } },
      ],
      [[c[0], A], [c[1], B], [c[3], B], [c[4], C], [c[5], C]]
    )
    noAssignment = await storeVersion([{ id: A, size: 1, centroid: { x: 1 } }], [], { withAssignment: false })
    created.push(failed, v1, v2, noAssignment)
  })

  afterAll(async () => {
    // Other files share the database: give back the version that served before.
    if (previousActive.length) await api(`/admin/interest/models/${previousActive[0]}/activate`, { token, body: {} })
    else await sql(`UPDATE interest_model_version SET is_active = false WHERE id = ANY($1)`, [created])
    await sql(`UPDATE interest_model_version SET deleted_at = now() WHERE id = ANY($1)`, [created])
    await sql(`UPDATE interest_segment SET deleted_at = now() WHERE id = ANY($1)`, [[A, B, C]])
    await waitFor(async () => (await sql(`SELECT 1 FROM staged_job WHERE event_name = 'interest.model_activated'`)).length === 0, {
      timeoutMs: 30000,
    }).catch(() => undefined)
    await closeDb()
  })

  it("answers 401 without a token or with a bad one", async () => {
    expect((await api("/admin/interest/flows")).status).toBe(401)
    expect((await api("/admin/interest/flows", { token: "not-a-jwt" })).status).toBe(401)
  })

  it("answers the flow between the last two versions by default: counts from -> to, new and gone", async () => {
    const res = await api<SegmentFlowReport>("/admin/interest/flows", { token })
    expect(res.status).toBe(200)
    const r = res.body
    expect(r.note).toBeNull()
    expect(r.from).toMatchObject({ id: v1, is_active: false, customers: 5 })
    expect(r.to).toMatchObject({ id: v2, is_active: false, customers: 5 })
    expect(new Date(r.from!.created_at).getTime()).toBeLessThanOrEqual(new Date(r.to!.created_at).getTime())
    expect(r.flows).toEqual(
      [
        { from: A, to: A, customers: 1 },
        { from: A, to: B, customers: 1 },
        { from: A, to: "gone", customers: 1 },
        { from: B, to: B, customers: 1 },
        { from: B, to: C, customers: 1 },
        { from: "new", to: C, customers: 1 },
      ].sort((x, y) => x.from.localeCompare(y.from) || x.to.localeCompare(y.to))
    )
    expect(r.totals).toEqual({ stayed: 2, moved: 2, new: 1, gone: 1 })
    expect(r.segments).toEqual([
      { id: B, name: `${tag} Cooks`, status: "active", from_size: 2, to_size: 2 },
      { id: C, name: `${tag} Gardeners`, status: "active", from_size: 0, to_size: 2 },
      { id: A, name: `${tag} Runners`, status: "active", from_size: 3, to_size: 1 },
    ])
  })

  it("answers each segment's size and centroid shift over the runs up to `to`", async () => {
    const { body: r } = await api<SegmentFlowReport>("/admin/interest/flows", { token })
    const runs = r.drift.runs.map((x) => x.id)
    expect(runs.length).toBeLessThanOrEqual(10)
    // The last runs are v1 then v2; the failed and assignment-less versions are not runs with segments (or come later).
    expect(runs.slice(-2)).toEqual([v1, v2])
    expect(runs).not.toContain(failed)
    expect(runs).not.toContain(noAssignment)
    const of = (id: string) => r.drift.segments.find((s) => s.id === id)!
    expect(r.drift.segments.map((s) => s.id)).toEqual([A, B, C])
    expect(of(A).sizes.slice(-2)).toEqual([3, 1])
    expect(of(A).centroid_shifts.at(-1)).toBeCloseTo(1 - Math.SQRT1_2, 5)
    expect(of(B).centroid_shifts.at(-1)).toBe(0)
    expect(of(C).sizes.slice(-2)).toEqual([null, 2])
    expect(of(C).centroid_shifts.at(-1)).toBeNull()
    for (const s of r.drift.segments) {
      expect(s.sizes).toHaveLength(runs.length)
      expect(s.centroid_shifts).toHaveLength(runs.length)
    }
  })

  it("takes from and to, each defaulting around the other", async () => {
    const both = await api<SegmentFlowReport>(`/admin/interest/flows?from=${v1}&to=${v2}`, { token })
    expect(both.status).toBe(200)
    const byDefault = await api<SegmentFlowReport>("/admin/interest/flows", { token })
    expect(both.body).toEqual(byDefault.body)
    const onlyTo = await api<SegmentFlowReport>(`/admin/interest/flows?to=${v2}`, { token })
    expect([onlyTo.body.from?.id, onlyTo.body.to?.id]).toEqual([v1, v2])
    const onlyFrom = await api<SegmentFlowReport>(`/admin/interest/flows?from=${v1}`, { token })
    expect([onlyFrom.body.from?.id, onlyFrom.body.to?.id]).toEqual([v1, v2])
  })

  it.each([
    ["from later than to", () => `from=${v2}&to=${v1}`, "was trained after to"],
    ["the same version twice", () => `from=${v1}&to=${v1}`, "from and to are the same version"],
    ["from = the latest, no to", () => `from=${v2}`, "is the latest trained version"],
    ["an unknown from", () => `from=imv_unknown&to=${v2}`, "from: model version with id: imv_unknown was not found."],
    ["an unknown to", () => `to=imv_unknown`, "to: model version with id: imv_unknown was not found."],
    ["a failed version", () => `from=${failed}&to=${v2}`, "is failed; only a ready version has segments."],
    ["a version without an assignment", () => `from=${v1}&to=${noAssignment}`, "has no stored segment assignment"],
    ["an id with quotes and spaces", () => `from=${encodeURIComponent("imv'; DROP TABLE x")}`, "from must be a model version id"],
    ["a 65-character id", () => `to=${"x".repeat(65)}`, "to must be a model version id"],
    ["from given twice", () => "from[]=a", "from must be"],
    ["a parameter of the other flow routes", () => "period=week", "property period should not exist"],
  ])("answers 400 to %s with a clear message and changes nothing", async (_label, query, message) => {
    const before = await settledTableChecksums()
    const res = await api(`/admin/interest/flows?${query()}`, { token })
    expect(res.status).toBe(400)
    expect(res.body.type).toBe("invalid_data")
    expect(res.body.message).toContain(message)
    expect(await tableChecksums()).toEqual(before)
  })

  it("a deleted version is unknown", async () => {
    const gone = await storeVersion([{ id: A, size: 1, centroid: { x: 1 } }], [[c[0], A]])
    created.push(gone)
    await sql(`UPDATE interest_model_version SET deleted_at = now() WHERE id = $1`, [gone])
    const res = await api(`/admin/interest/flows?from=${v1}&to=${gone}`, { token })
    expect(res.status).toBe(400)
    expect(res.body.message).toBe(`to: model version with id: ${gone} was not found.`)
  })

  it("customer-group sync adds and removes what the flow moved into and out of a segment", async () => {
    const { body: flow } = await api<SegmentFlowReport>(`/admin/interest/flows?from=${v1}&to=${v2}`, { token })
    const into = (s: string) => flow.flows.filter((f) => f.to === s && f.from !== s).reduce((n, f) => n + f.customers, 0)
    const outOf = (s: string) => flow.flows.filter((f) => f.from === s && f.to !== s).reduce((n, f) => n + f.customers, 0)
    const sync = async (s: string) => {
      const res = await api(`/admin/interest/segments/${s}/sync-customer-group`, { token, body: {} })
      expect(res.status).toBe(200)
      return res.body
    }
    const activate = async (id: string) => {
      expect((await api(`/admin/interest/models/${id}/activate`, { token, body: {} })).status).toBe(200)
    }

    await activate(v1)
    expect(await sync(A)).toMatchObject({ added: 3, removed: 0, size: 3 })
    expect(await sync(B)).toMatchObject({ added: 2, removed: 0, size: 2 })

    await activate(v2)
    const a = await sync(A)
    const b = await sync(B)
    expect(a).toMatchObject({ added: into(A), removed: outOf(A), size: 1 })
    expect(b).toMatchObject({ added: into(B), removed: outOf(B), size: 2 })
    // Spelled out: A lost c1 (to B) and c2 (gone); B gained c1 and lost c4 (to C).
    expect([a.added, a.removed, b.added, b.removed]).toEqual([0, 2, 1, 1])
    expect(a.customer_group).toMatchObject({ name: `Interest: ${tag} Runners` })
    const members = await sql<{ customer_id: string }>(
      `SELECT customer_id FROM customer_group_customers WHERE customer_group_id = $1 ORDER BY customer_id`,
      [b.customer_group.id]
    )
    expect(members.map((m) => m.customer_id)).toEqual([c[1], c[3]].sort())
    // The flow reports the versions' state, not which one serves.
    const after = await api<SegmentFlowReport>(`/admin/interest/flows?from=${v1}&to=${v2}`, { token })
    expect(after.body.to?.is_active).toBe(true)
    expect(after.body.flows).toEqual(flow.flows)
  })
})
