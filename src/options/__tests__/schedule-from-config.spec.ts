import { scheduleFromConfig } from "../schedule-from-config"

describe("scheduleFromConfig", () => {
  it("reads the plugins entry of a merchant's shop", () => {
    const config = { projectConfig: {}, plugins: ["medusa-payment-manual", { resolve: "medusa-plugin-interest", options: { schedule: "*/15 * * * *" } }] }
    expect(scheduleFromConfig(config)).toBe("*/15 * * * *")
  })

  it("reads an entry installed by path", () => {
    const config = { projectConfig: {}, plugins: [{ resolve: "/srv/plugins/medusa-plugin-interest", options: { schedule: "0 1 * * 0" } }] }
    expect(scheduleFromConfig(config)).toBe("0 1 * * 0")
  })

  it("reads the dev shop's `interest` key when the plugin is the project", () => {
    expect(scheduleFromConfig({ projectConfig: {}, plugins: [], interest: { schedule: "0 4 * * *" } })).toBe("0 4 * * *")
  })

  it("defaults to nightly", () => {
    expect(scheduleFromConfig({ projectConfig: {}, plugins: [] })).toBe("0 3 * * *")
    expect(scheduleFromConfig(undefined)).toBe("0 3 * * *")
  })

  it("rejects invalid plugin options with their name", () => {
    expect(() => scheduleFromConfig({ projectConfig: {}, plugins: [{ resolve: "medusa-plugin-interest", options: { period: "year" } }] })).toThrow(/period/)
  })
})
