import { resolveOptions } from "../../../options/resolve-options"

describe("demoStorefront option", () => {
  it("is off by default and must be a boolean", () => {
    expect(resolveOptions({}).demoStorefront).toBe(false)
    expect(resolveOptions({ demoStorefront: true }).demoStorefront).toBe(true)
    expect(() => resolveOptions({ demoStorefront: "yes" })).toThrow(/demoStorefront must be true or false/)
  })

  it("reaches the project plugin from medusa-config.js, whose `interest` key Medusa's config loader drops", () => {
    // What Medusa 1.20 hands the project plugin: only the keys its loader knows.
    const loaded = { projectConfig: {}, modules: {}, featureFlags: {}, plugins: [] }
    const before = process.env.INTEREST_DEMO_STOREFRONT
    process.env.INTEREST_DEMO_STOREFRONT = "1"
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        const { resolveOptions: fresh } = require("../../../options/resolve-options")
        expect(fresh(loaded).demoStorefront).toBe(true)
      })
    } finally {
      if (before === undefined) delete process.env.INTEREST_DEMO_STOREFRONT
      else process.env.INTEREST_DEMO_STOREFRONT = before
    }
  })
})
