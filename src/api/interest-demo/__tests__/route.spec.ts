import { GET as page } from "../route"
import { GET as asset } from "../[asset]/route"
import { EntityManager } from "typeorm"
import { DEFAULT_OPTIONS } from "../../../options/plugin-options"
import { fakeResponse } from "../../__tests__/support/fake-response"
import { ShopRepository } from "../../../repositories/shop"

/** The slice of Medusa's request and response the demo routes use. */
function call(
  handler: (req: any, res: any) => Promise<void>,
  { demoStorefront, params = {}, rows = {} }: { demoStorefront: boolean; params?: Record<string, string>; rows?: Record<string, unknown[]> }
) {
  const queries: string[] = []
  // A real EntityManager's withRepository, so the shop repository's own SQL reaches `query`.
  const manager = Object.assign(Object.create(EntityManager.prototype), {
    query: async (sql: string) => {
      queries.push(sql)
      const table = Object.keys(rows).find((t) => sql.includes(`FROM ${t} `))
      return table ? rows[table] : []
    },
  }) as EntityManager
  const registry: Record<string, unknown> = {
    interestOptions: { ...DEFAULT_OPTIONS, demoStorefront },
    shopRepository: manager.withRepository(ShopRepository),
  }
  const res = fakeResponse()
  const req = { params, scope: { resolve: (name: string) => registry[name] } }
  return handler(req, res).then(() => ({ res, queries }))
}

describe("demo storefront routes", () => {
  it("answer 404 and read nothing while the demoStorefront option is off", async () => {
    const { res, queries } = await call(page, { demoStorefront: false })
    expect(res.statusCode).toBe(404)
    expect(res.body).toMatchObject({ type: "not_found" })
    expect(queries).toEqual([])
    const js = await call(asset, { demoStorefront: false, params: { asset: "app.js" } })
    expect(js.res.statusCode).toBe(404)
  })

  it("serves the page with the shop's key, region and shoppers inlined safely", async () => {
    const { res } = await call(page, {
      demoStorefront: true,
      rows: {
        publishable_api_key: [{ id: "pk_01" }],
        region: [{ id: "reg_01", currency_code: "eur" }],
        customer: [{ email: "a@example.com" }, { email: "</script><script>alert(1)//@x.io" }],
      },
    })
    expect(res.statusCode).toBe(200)
    expect(res.contentType).toBe("html")
    const html = res.body as string
    const inlined = /window\.INTEREST_DEMO = (.*)<\/script>/.exec(html)?.[1] as string
    expect(JSON.parse(inlined)).toEqual({
      publishableKey: "pk_01",
      regionId: "reg_01",
      currencyCode: "eur",
      shoppers: ["a@example.com", "</script><script>alert(1)//@x.io"],
      shopperPassword: "demo-shopper",
    })
    // The e-mail cannot close the script element it sits in.
    expect(html.match(/<\/script>/g)).toHaveLength(3)
    expect(html).toContain('src="/interest-demo/client.js"')
  })

  it("serves only its own assets", async () => {
    const js = await call(asset, { demoStorefront: true, params: { asset: "app.js" } })
    expect(js.res.statusCode).toBe(200)
    expect(js.res.contentType).toBe("application/javascript")
    expect(js.res.body).toContain("createInterestClient")
    // Built-in property names of a plain object are no assets either (they were looked up and 500ed).
    for (const name of ["../route.js", "index.html", "..%2Fpackage.json", "constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"]) {
      const other = await call(asset, { demoStorefront: true, params: { asset: name } })
      expect([name, other.res.statusCode]).toEqual([name, 404])
    }
  })
})
