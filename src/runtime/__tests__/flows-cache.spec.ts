import { FlowsCache } from "../flows-cache"

describe("FlowsCache", () => {
  it("computes a query once per model and drops everything when the model changes", () => {
    const cache = new FlowsCache()
    let computed = 0
    const compute = () => ++computed
    expect(cache.get("v1@r1", "week|a", compute)).toBe(1)
    expect(cache.get("v1@r1", "week|a", compute)).toBe(1)
    expect(cache.get("v1@r1", "month|a", compute)).toBe(2)
    expect(cache.size).toBe(2)
    // Another revision of the same version (an erasure rewrote it) is another model.
    expect(cache.get("v1@r2", "week|a", compute)).toBe(3)
    expect(cache.size).toBe(1)
  })

  it("holds at most 64 queries, forgetting the oldest", () => {
    const cache = new FlowsCache()
    for (let i = 0; i < 70; i++) cache.get("v", `q${i}`, () => i)
    expect(cache.size).toBe(64)
    expect(cache.get("v", "q0", () => -1)).toBe(-1)
    expect(cache.get("v", "q69", () => -1)).toBe(69)
  })

  it("shares one async computation and forgets it when it fails", async () => {
    const cache = new FlowsCache()
    let calls = 0
    const ok = () => Promise.resolve(++calls)
    const [a, b] = await Promise.all([cache.getAsync("v", "flow", ok), cache.getAsync("v", "flow", ok)])
    expect([a, b, calls]).toEqual([1, 1, 1])
    const failing = () => Promise.reject(new Error("database gone"))
    await expect(cache.getAsync("w", "flow", failing)).rejects.toThrow("database gone")
    expect(cache.size).toBe(0)
    await expect(cache.getAsync("w", "flow", ok)).resolves.toBe(2)
  })
})
