import { api, closeDb, createCustomer, sql, TestCustomer, uniqueId } from "../support/harness"

async function adminToken(): Promise<string> {
  const res = await api("/admin/auth/token", { body: { email: "admin@example.com", password: "supersecret" } })
  if (res.status !== 200) throw new Error(`admin login failed: ${res.status} ${JSON.stringify(res.body)}`)
  return res.body.access_token
}

interface SegmentFixture {
  name: string
  size?: number
  status?: "active" | "retired"
  drift?: number
  pinned?: boolean
}

/** A segment as a training run writes it. */
async function insertSegment(f: SegmentFixture): Promise<string> {
  const id = uniqueId("iseg")
  await sql(
    `INSERT INTO interest_segment (id, name, auto_name, size, top_interests, centroid, cohesion, drift, status, pinned, model_version_id)
     VALUES ($1, $2, $2, $3, $4, $5, 0.5, $6, $7, $8, 'imv_fixture')`,
    [
      id,
      f.name,
      f.size ?? 0,
      JSON.stringify([{ id: "pcat_a", name: "Shoes", weight: 0.6 }, { id: "pcat_b", name: "Bags", weight: 0.4 }]),
      JSON.stringify({ pcat_a: 0.6, pcat_b: 0.4 }),
      f.drift ?? 0.1,
      f.status ?? "active",
      f.pinned ?? false,
    ]
  )
  return id
}

async function setMembers(segmentId: string, members: { id: string; distance: number }[]): Promise<void> {
  await sql(`DELETE FROM interest_segment_member WHERE segment_id = $1`, [segmentId])
  for (const m of members) {
    await sql(
      `INSERT INTO interest_segment_member (segment_id, customer_id, distance, model_version_id) VALUES ($1, $2, $3, 'imv_fixture')`,
      [segmentId, m.id, m.distance]
    )
  }
  await sql(`UPDATE interest_segment SET size = $2 WHERE id = $1`, [segmentId, members.length])
}

async function groupMembers(groupId: string): Promise<string[]> {
  const rows = await sql<{ customer_id: string }>(
    `SELECT customer_id FROM customer_group_customers WHERE customer_group_id = $1 ORDER BY customer_id`,
    [groupId]
  )
  return rows.map((r) => r.customer_id)
}

describe("admin segments", () => {
  let token: string
  const tag = uniqueId("segtag")
  let big: string
  let small: string
  let retired: string

  beforeAll(async () => {
    token = await adminToken()
    small = await insertSegment({ name: `${tag} runners`, size: 5, drift: 0.25 })
    big = await insertSegment({ name: `${tag} Home cooks`, size: 9, pinned: true })
    retired = await insertSegment({ name: `${tag} gone`, size: 3, status: "retired" })
  })
  afterAll(closeDb)

  describe("GET /admin/interest/segments", () => {
    it("lists active segments, largest first, with their summary fields", async () => {
      const res = await api(`/admin/interest/segments?q=${encodeURIComponent(tag)}`, { token })
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ count: 2, offset: 0, limit: 20 })
      expect(res.body.segments.map((s: { id: string }) => s.id)).toEqual([big, small])
      expect(res.body.segments[1]).toMatchObject({
        id: small,
        name: `${tag} runners`,
        size: 5,
        pinned: false,
        status: "active",
        customer_group_id: null,
        top_interests: [{ id: "pcat_a", name: "Shoes", weight: 0.6 }, { id: "pcat_b", name: "Bags", weight: 0.4 }],
      })
      expect(res.body.segments[1].drift).toBeCloseTo(0.25)
      expect(res.body.segments[0].pinned).toBe(true)
    })

    it("filters by status and name (case-insensitive) and paginates", async () => {
      const retiredOnly = await api(`/admin/interest/segments?status=retired&q=${encodeURIComponent(tag)}`, { token })
      expect(retiredOnly.body.segments.map((s: { id: string }) => s.id)).toEqual([retired])
      const all = await api(`/admin/interest/segments?status=all&q=${encodeURIComponent(tag.toUpperCase())}`, { token })
      expect(all.body.count).toBe(3)
      const page = await api(`/admin/interest/segments?q=${encodeURIComponent(tag)}&limit=1&offset=1`, { token })
      expect(page.body).toMatchObject({ count: 2, offset: 1, limit: 1 })
      expect(page.body.segments.map((s: { id: string }) => s.id)).toEqual([small])
      const cooks = await api(`/admin/interest/segments?q=${encodeURIComponent(`${tag} home`)}`, { token })
      expect(cooks.body.segments.map((s: { id: string }) => s.id)).toEqual([big])
    })

    it.each(["limit=0", "limit=abc", "offset=-1", "status=bogus", "unknown=1", "limit=100000"])(
      "answers 400 to ?%s",
      async (query) => {
        const res = await api(`/admin/interest/segments?${query}`, { token })
        expect(res.status).toBe(400)
        expect(res.body.type).toBe("invalid_data")
      }
    )
  })

  describe("GET /admin/interest/segments/:id", () => {
    it("answers one segment", async () => {
      const res = await api(`/admin/interest/segments/${small}`, { token })
      expect(res.status).toBe(200)
      expect(res.body.segment).toMatchObject({ id: small, size: 5, auto_name: `${tag} runners` })
    })

    it("answers 404 for an unknown or soft-deleted segment", async () => {
      const res = await api(`/admin/interest/segments/iseg_unknown`, { token })
      expect(res.status).toBe(404)
      expect(res.body.message).toBe("Segment with id: iseg_unknown was not found.")
      const deleted = await insertSegment({ name: `${tag} deleted` })
      await sql(`UPDATE interest_segment SET deleted_at = now() WHERE id = $1`, [deleted])
      expect((await api(`/admin/interest/segments/${deleted}`, { token })).status).toBe(404)
    })
  })

  describe("POST /admin/interest/segments/:id", () => {
    it("renames, describes and pins; auto_name is kept", async () => {
      const id = await insertSegment({ name: `${tag} to rename` })
      const res = await api(`/admin/interest/segments/${id}`, {
        token,
        body: { name: `${tag} Weekend hikers`, description: "Outdoor gear on Fridays", pinned: true },
      })
      expect(res.status).toBe(200)
      expect(res.body.segment).toMatchObject({
        id,
        name: `${tag} Weekend hikers`,
        description: "Outdoor gear on Fridays",
        pinned: true,
        auto_name: `${tag} to rename`,
      })
      const [row] = await sql(`SELECT name, auto_name, description, pinned FROM interest_segment WHERE id = $1`, [id])
      expect(row).toEqual({
        name: `${tag} Weekend hikers`,
        auto_name: `${tag} to rename`,
        description: "Outdoor gear on Fridays",
        pinned: true,
      })
      const cleared = await api(`/admin/interest/segments/${id}`, { token, body: { description: null, pinned: false } })
      expect(cleared.body.segment).toMatchObject({ description: null, pinned: false, name: `${tag} Weekend hikers` })
    })

    it.each([
      [{ name: "" }],
      [{ name: "   " }],
      [{ name: 42 }],
      [{ name: "x".repeat(121) }],
      [{ pinned: "yes" }],
      [{ description: 7 }],
      [{ size: 100 }],
    ])("answers 400 to %j and changes nothing", async (body) => {
      const res = await api(`/admin/interest/segments/${small}`, { token, body })
      expect(res.status).toBe(400)
      expect(res.body.type).toBe("invalid_data")
      const [row] = await sql(`SELECT name, size, pinned FROM interest_segment WHERE id = $1`, [small])
      expect(row).toEqual({ name: `${tag} runners`, size: 5, pinned: false })
    })

    it("answers 404 for an unknown segment", async () => {
      const res = await api(`/admin/interest/segments/iseg_unknown`, { token, body: { name: "x" } })
      expect(res.status).toBe(404)
      expect(res.body.message).toBe("Segment with id: iseg_unknown was not found.")
    })
  })

  describe("GET /admin/interest/segments/:id/members", () => {
    let customers: TestCustomer[]
    let segment: string

    beforeAll(async () => {
      customers = [await createCustomer(), await createCustomer(), await createCustomer()]
      segment = await insertSegment({ name: `${tag} members` })
      await setMembers(segment, [
        { id: customers[0].id, distance: 0.3 },
        { id: customers[1].id, distance: 0.1 },
        { id: customers[2].id, distance: 0.2 },
      ])
    })

    it("pages through members, closest first, with the customer's email and names", async () => {
      const first = await api(`/admin/interest/segments/${segment}/members?limit=2`, { token })
      expect(first.status).toBe(200)
      expect(first.body).toMatchObject({ count: 3, offset: 0, limit: 2 })
      expect(first.body.members.map((m: { customer_id: string }) => m.customer_id)).toEqual([
        customers[1].id,
        customers[2].id,
      ])
      expect(first.body.members[0]).toMatchObject({
        customer_id: customers[1].id,
        email: customers[1].email,
        first_name: "Test",
        last_name: "Shopper",
        model_version_id: "imv_fixture",
      })
      expect(first.body.members[0].distance).toBeCloseTo(0.1)
      const second = await api(`/admin/interest/segments/${segment}/members?limit=2&offset=2`, { token })
      expect(second.body).toMatchObject({ count: 3, offset: 2, limit: 2 })
      expect(second.body.members.map((m: { customer_id: string }) => m.customer_id)).toEqual([customers[0].id])
    })

    it("defaults to 50 per page, answers 404 for an unknown segment and 400 for a bad page", async () => {
      const res = await api(`/admin/interest/segments/${segment}/members`, { token })
      expect(res.body).toMatchObject({ count: 3, offset: 0, limit: 50 })
      expect(res.body.members).toHaveLength(3)
      expect((await api(`/admin/interest/segments/iseg_unknown/members`, { token })).status).toBe(404)
      expect((await api(`/admin/interest/segments/${segment}/members?limit=-3`, { token })).status).toBe(400)
    })
  })

  describe("POST /admin/interest/segments/:id/sync-customer-group", () => {
    it("creates a group holding exactly the members, then applies the diff after a retrain", async () => {
      const [a, b, c] = [await createCustomer(), await createCustomer(), await createCustomer()]
      const name = `${tag} Sync me`
      const segment = await insertSegment({ name })
      await setMembers(segment, [
        { id: a.id, distance: 0.1 },
        { id: b.id, distance: 0.2 },
      ])

      const first = await api(`/admin/interest/segments/${segment}/sync-customer-group`, { token, body: {} })
      expect(first.status).toBe(200)
      expect(first.body).toMatchObject({ added: 2, removed: 0, size: 2 })
      const group = first.body.customer_group
      expect(group).toMatchObject({ name: `Interest: ${name}`, metadata: { interest_segment_id: segment } })
      expect(await groupMembers(group.id)).toEqual([a.id, b.id].sort())
      const [stored] = await sql<{ customer_group_id: string; synced_at: Date | null }>(
        `SELECT customer_group_id, synced_at FROM interest_segment WHERE id = $1`,
        [segment]
      )
      expect(stored.customer_group_id).toBe(group.id)
      expect(stored.synced_at).not.toBeNull()
      const [dbGroup] = await sql<{ name: string; metadata: Record<string, unknown> }>(
        `SELECT name, metadata FROM customer_group WHERE id = $1`,
        [group.id]
      )
      expect(dbGroup).toEqual({ name: `Interest: ${name}`, metadata: { interest_segment_id: segment } })

      // A retrain moves a out and c in.
      await setMembers(segment, [
        { id: b.id, distance: 0.2 },
        { id: c.id, distance: 0.3 },
      ])
      const second = await api(`/admin/interest/segments/${segment}/sync-customer-group`, { token, body: {} })
      expect(second.status).toBe(200)
      expect(second.body).toMatchObject({ added: 1, removed: 1, size: 2 })
      expect(second.body.customer_group.id).toBe(group.id)
      expect(await groupMembers(group.id)).toEqual([b.id, c.id].sort())

      // Nothing changed: nothing to do.
      const third = await api(`/admin/interest/segments/${segment}/sync-customer-group`, { token, body: {} })
      expect(third.body).toMatchObject({ added: 0, removed: 0, size: 2 })

      // A customer the merchant added by hand is removed: the group mirrors the segment.
      await api(`/admin/customer-groups/${group.id}/customers/batch`, {
        token,
        body: { customer_ids: [{ id: a.id }] },
      })
      expect(await groupMembers(group.id)).toEqual([a.id, b.id, c.id].sort())
      const fourth = await api(`/admin/interest/segments/${segment}/sync-customer-group`, { token, body: {} })
      expect(fourth.body).toMatchObject({ added: 0, removed: 1, size: 2 })
      expect(await groupMembers(group.id)).toEqual([b.id, c.id].sort())
    })

    it("renames the group with the segment", async () => {
      const segment = await insertSegment({ name: `${tag} Before` })
      const first = await api(`/admin/interest/segments/${segment}/sync-customer-group`, { token, body: {} })
      expect(first.body).toMatchObject({ added: 0, removed: 0, size: 0 })
      await api(`/admin/interest/segments/${segment}`, { token, body: { name: `${tag} After` } })
      const second = await api(`/admin/interest/segments/${segment}/sync-customer-group`, { token, body: {} })
      expect(second.body.customer_group).toMatchObject({ id: first.body.customer_group.id, name: `Interest: ${tag} After` })
    })

    it("creates a new group when the linked one was deleted in the admin", async () => {
      const a = await createCustomer()
      const segment = await insertSegment({ name: `${tag} Phoenix` })
      await setMembers(segment, [{ id: a.id, distance: 0.1 }])
      const first = await api(`/admin/interest/segments/${segment}/sync-customer-group`, { token, body: {} })
      const oldGroup = first.body.customer_group.id
      const deleted = await api(`/admin/customer-groups/${oldGroup}`, { token, method: "DELETE" })
      expect(deleted.status).toBe(200)

      const second = await api(`/admin/interest/segments/${segment}/sync-customer-group`, { token, body: {} })
      expect(second.status).toBe(200)
      expect(second.body).toMatchObject({ added: 1, removed: 0, size: 1 })
      expect(second.body.customer_group.id).not.toBe(oldGroup)
      expect(second.body.customer_group.metadata).toEqual({ interest_segment_id: segment })
      expect(await groupMembers(second.body.customer_group.id)).toEqual([a.id])
      const [stored] = await sql(`SELECT customer_group_id FROM interest_segment WHERE id = $1`, [segment])
      expect(stored.customer_group_id).toBe(second.body.customer_group.id)
    })

    it("does not fail when another group already has the name", async () => {
      const name = `${tag} Taken`
      const other = await api(`/admin/customer-groups`, { token, body: { name: `Interest: ${name}` } })
      expect(other.status).toBe(200)
      const segment = await insertSegment({ name })
      const res = await api(`/admin/interest/segments/${segment}/sync-customer-group`, { token, body: {} })
      expect(res.status).toBe(200)
      expect(res.body.customer_group.id).not.toBe(other.body.customer_group.id)
      expect(res.body.customer_group.name).toBe(`Interest: ${name} (${segment})`)
    })

    it("answers 404 for an unknown segment", async () => {
      const res = await api(`/admin/interest/segments/iseg_unknown/sync-customer-group`, { token, body: {} })
      expect(res.status).toBe(404)
      expect(res.body.message).toBe("Segment with id: iseg_unknown was not found.")
    })
  })
})
