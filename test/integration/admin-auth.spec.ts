import { api, closeDb, createCustomer } from "../support/harness"

import * as fs from "fs"
import * as path from "path"

/**
 * Every admin handler of the plugin, read from the file routes themselves (a route
 * added later is checked without anyone listing it): each must be behind Medusa's
 * admin authentication (file routes under /admin are unless they opt out).
 */
function adminHandlers(): [method: string, path: string, body?: unknown][] {
  const root = path.join(__dirname, "..", "..", "src", "api")
  const out: [string, string, unknown?][] = []
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name === "route.ts") {
        const url = "/" + path.relative(root, dir).split(path.sep).map((part) => part.replace(/^\[(\w+)\]$/, "x_$1")).join("/")
        for (const m of fs.readFileSync(full, "utf8").matchAll(/^export (?:const|async function) (GET|POST|PUT|PATCH|DELETE)\b/gm)) {
          out.push(m[1] === "GET" || m[1] === "DELETE" ? [m[1], url] : [m[1], url, {}])
        }
      }
    }
  }
  walk(path.join(root, "admin"))
  return out.sort((a, b) => a[1].localeCompare(b[1]) || a[0].localeCompare(b[0]))
}

const ROUTES = adminHandlers()

describe("admin interest routes: authentication", () => {
  afterAll(closeDb)

  it("finds every admin handler", () => {
    // 14 when this was written; fewer means the scan above broke, not that routes went away.
    expect(ROUTES.length).toBeGreaterThanOrEqual(14)
    expect(ROUTES).toContainEqual(["POST", "/admin/interest/models/train", {}])
    expect(ROUTES).toContainEqual(["GET", "/admin/interest/products/x_id"])
  })

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
