import { assignArm, unitHash, validateShares } from "../assignment"

describe("experiment assignment", () => {
  const arms = [
    { name: "model", share: 0.5 },
    { name: "control", share: 0.5 },
  ]

  it("gives a shopper the same arm every time", () => {
    for (let i = 0; i < 100; i++) {
      expect(assignArm("iexp_1", `v_${i}`, arms)).toBe(assignArm("iexp_1", `v_${i}`, arms))
    }
  })

  it("splits shoppers by the shares, within 1.5 points over 20,000", () => {
    const three = [
      { name: "a", share: 0.2 },
      { name: "b", share: 0.3 },
      { name: "c", share: 0.5 },
    ]
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 }
    for (let i = 0; i < 20_000; i++) counts[assignArm("iexp_split", `cus_${i.toString(36)}`, three)]++
    expect(Math.abs(counts.a / 20_000 - 0.2)).toBeLessThan(0.015)
    expect(Math.abs(counts.b / 20_000 - 0.3)).toBeLessThan(0.015)
    expect(Math.abs(counts.c / 20_000 - 0.5)).toBeLessThan(0.015)
  })

  it("splits the same shoppers independently in two experiments", () => {
    let same = 0
    for (let i = 0; i < 10_000; i++) {
      if (assignArm("iexp_one", `v_${i}`, arms) === assignArm("iexp_two", `v_${i}`, arms)) same++
    }
    // Independent 50/50 splits agree half the time.
    expect(Math.abs(same / 10_000 - 0.5)).toBeLessThan(0.02)
  })

  it("hashes into [0, 1) and tells near ids apart", () => {
    const a = unitHash("visitor_000001")
    const b = unitHash("visitor_000002")
    expect(a).toBeGreaterThanOrEqual(0)
    expect(a).toBeLessThan(1)
    expect(Math.abs(a - b)).toBeGreaterThan(1e-6)
  })

  it("refuses shares that do not sum to 1, one arm, duplicate names and empty shares", () => {
    expect(() => validateShares([{ name: "a", share: 0.5 }, { name: "b", share: 0.4 }])).toThrow("sum to 1, they sum to 0.9")
    expect(() => validateShares([{ name: "a", share: 1 }])).toThrow("at least two arms")
    expect(() => validateShares([{ name: "a", share: 0.5 }, { name: "a", share: 0.5 }])).toThrow("distinct")
    expect(() => validateShares([{ name: "a", share: 0 }, { name: "b", share: 1 }])).toThrow("must be in (0, 1]")
    expect(() => validateShares([{ name: "a", share: 1 / 3 }, { name: "b", share: 1 / 3 }, { name: "c", share: 1 / 3 }])).not.toThrow()
  })
})
