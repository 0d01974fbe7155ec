import { spawnSync } from "child_process"
import path from "path"
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { resolveDevSecrets, DEFAULT_SECRETS } = require("../dev-secrets")

const ROOT = path.resolve(__dirname, "..", "..", "..")
const STRONG = { JWT_SECRET: "a3f9c1d27e4b8a6f0c5d9e2b7a1f4c8d", COOKIE_SECRET: "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b" }

describe("resolveDevSecrets", () => {
  it("uses the defaults in development and warns once, naming the env vars", () => {
    const warn = jest.fn()
    const secrets = resolveDevSecrets({ NODE_ENV: "development" }, warn)
    expect(secrets).toEqual({ jwtSecret: DEFAULT_SECRETS.JWT_SECRET, cookieSecret: DEFAULT_SECRETS.COOKIE_SECRET, defaulted: ["JWT_SECRET", "COOKIE_SECRET"] })
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0][0]).toMatch(/JWT_SECRET and COOKIE_SECRET are not set/)
    // No NODE_ENV at all (a fresh machine's `npm start`) is development too.
    expect(resolveDevSecrets({}, () => undefined).jwtSecret).toBe(DEFAULT_SECRETS.JWT_SECRET)
  })

  it("uses what is set, silently", () => {
    const warn = jest.fn()
    for (const NODE_ENV of ["development", "production"]) {
      expect(resolveDevSecrets({ NODE_ENV, ...STRONG }, warn)).toEqual({ jwtSecret: STRONG.JWT_SECRET, cookieSecret: STRONG.COOKIE_SECRET, defaulted: [] })
    }
    expect(warn).not.toHaveBeenCalled()
  })

  it("refuses production with a secret unset, blank or a public default, naming the env vars", () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /JWT_SECRET and COOKIE_SECRET are unset or a public default/],
      [{ COOKIE_SECRET: STRONG.COOKIE_SECRET }, /: JWT_SECRET is unset/],
      [{ JWT_SECRET: STRONG.JWT_SECRET, COOKIE_SECRET: "  " }, /: COOKIE_SECRET is unset/],
      [{ ...STRONG, JWT_SECRET: "dev-only-jwt-secret" }, /: JWT_SECRET is unset or a public default/],
      [{ ...STRONG, JWT_SECRET: "supersecret" }, /: JWT_SECRET is unset or a public default/],
    ]
    for (const NODE_ENV of ["production", "prod"]) {
      for (const [env, message] of cases) {
        expect(() => resolveDevSecrets({ NODE_ENV, ...env }, () => undefined)).toThrow(message)
        expect(() => resolveDevSecrets({ NODE_ENV, ...env }, () => undefined)).toThrow(/Set JWT_SECRET and COOKIE_SECRET/)
      }
    }
  })

  it("is what medusa-config.js uses: loading it under NODE_ENV=production without secrets fails, in development it warns", () => {
    const load = (env: Record<string, string>): ReturnType<typeof spawnSync> =>
      spawnSync(process.execPath, ["-e", "const c = require('./medusa-config.js'); console.log(c.projectConfig.jwt_secret)"], {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? "", ...env },
        encoding: "utf8",
      })
    const prod = load({ NODE_ENV: "production" })
    expect(prod.status).not.toBe(0)
    expect(prod.stderr).toMatch(/Refusing to start with NODE_ENV=production: JWT_SECRET and COOKIE_SECRET/)
    const dev = load({ NODE_ENV: "development" })
    expect(dev.status).toBe(0)
    expect(dev.stdout.trim()).toBe(DEFAULT_SECRETS.JWT_SECRET)
    expect(dev.stderr).toMatch(/Warning: JWT_SECRET and COOKIE_SECRET are not set/)
    const set = load({ NODE_ENV: "production", ...STRONG })
    expect([set.status, set.stdout.trim(), set.stderr]).toEqual([0, STRONG.JWT_SECRET, ""])
  })
})
