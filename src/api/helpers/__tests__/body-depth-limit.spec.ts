import { limitBodyDepth, MAX_BODY_DEPTH, nestingDepth } from "../body-depth-limit"
import { fakeResponse } from "../../__tests__/support/fake-response"

/** `[[[…]]]` and `{"a":{"a":…}}` with `n` levels, parsed as the body parser does. */
const deepArrays = (n: number): unknown => JSON.parse("[".repeat(n) + "]".repeat(n))
const deepObjects = (n: number): unknown => JSON.parse('{"a":'.repeat(n) + "1" + "}".repeat(n))

function run(body: unknown): { status: number; body: unknown; next: boolean } {
  const res = fakeResponse()
  let next = false
  limitBodyDepth({ body } as never, res as never, (() => (next = true)) as never)
  return { status: res.statusCode, body: res.body, next }
}

describe("nestingDepth", () => {
  it("counts nested arrays and objects, not scalars", () => {
    expect(nestingDepth(undefined, 16)).toBe(0)
    expect(nestingDepth("x", 16)).toBe(0)
    expect(nestingDepth(null, 16)).toBe(0)
    expect(nestingDepth({}, 16)).toBe(1)
    expect(nestingDepth([1, "a", null], 16)).toBe(1)
    expect(nestingDepth({ events: [{ type: "view" }] }, 16)).toBe(3)
    expect(nestingDepth([[], [[[]]], {}], 16)).toBe(4)
    expect(nestingDepth(JSON.parse('{"__proto__": {"a": [1]}}'), 16)).toBe(3)
  })

  it("stops at limit + 1 and reads 100,000 levels without exhausting the stack", () => {
    expect(nestingDepth(deepArrays(16), 16)).toBe(16)
    expect(nestingDepth(deepArrays(17), 16)).toBe(17)
    expect(nestingDepth(deepArrays(100_000), 16)).toBe(17)
    expect(nestingDepth(deepObjects(100_000), 16)).toBe(17)
    expect(nestingDepth(deepObjects(100_000), Infinity)).toBe(100_000)
  })

  it("counts a cycle as too deep instead of looping", () => {
    const a: Record<string, unknown> = {}
    a.self = a
    expect(nestingDepth(a, 16)).toBe(17)
  })
})

describe("limitBodyDepth", () => {
  it("lets the plugin's own bodies and a body at the limit through", () => {
    expect(run({ visitor_id: "abcdefgh", events: [{ type: "view", product_id: "prod_1" }] }).next).toBe(true)
    expect(run(deepArrays(MAX_BODY_DEPTH)).next).toBe(true)
    expect(run(undefined).next).toBe(true)
  })

  it("answers 400 with a plain message for a body one level deeper, or 20,000 arrays or 5,000 objects deep", () => {
    for (const body of [deepArrays(MAX_BODY_DEPTH + 1), deepArrays(20_000), deepObjects(5_000), { a: [deepObjects(40)] }]) {
      const out = run(body)
      expect(out).toEqual({
        status: 400,
        body: { type: "invalid_data", message: `The request body is nested too deeply (limit ${MAX_BODY_DEPTH}).` },
        next: false,
      })
    }
  })
})
