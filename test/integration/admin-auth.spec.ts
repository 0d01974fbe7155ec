import { api, closeDb, createCustomer } from "../support/harness"

// Every admin route of the plugin is behind Medusa's admin authentication
// (file routes under /admin are authenticated unless they opt out).
const ROUTES: [method: string, path: string, body?: unknown][] = [
  ["GET", "/admin/interest/segments"],
  ["GET", "/admin/interest/segments/iseg_x"],
  ["POST", "/admin/interest/segments/iseg_x", { name: "x" }],
  ["GET", "/admin/interest/segments/iseg_x/members"],
  ["POST", "/admin/interest/segments/iseg_x/sync-customer-group", {}],
  ["GET", "/admin/interest/models"],
  ["GET", "/admin/interest/models/imv_x"],
  ["POST", "/admin/interest/models/imv_x/activate", {}],
  ["DELETE", "/admin/interest/models/imv_x"],
  ["GET", "/admin/interest/customers/cus_x"],
  ["GET", "/admin/interest/stats"],
]

describe("admin interest routes: authentication", () => {
  afterAll(closeDb)

  // Objects, not tuples: jest takes a callback with more parameters than a
  // row has values as a `done`-style test.
  it.each(ROUTES.map(([method, path, body]) => ({ method, path, body })))(
    "$method $path answers 401 without a token",
    async ({ method, path, body }) => {
      const res = await api(path, { method, body })
      expect(res.status).toBe(401)
    }
  )

  it("answers 401 to a customer's token and to a bad token", async () => {
    const customer = await createCustomer()
    for (const [method, path, body] of ROUTES) {
      expect((await api(path, { method, body, token: customer.token })).status).toBe(401)
      expect((await api(path, { method, body, token: "not-a-jwt" })).status).toBe(401)
    }
  })
})
