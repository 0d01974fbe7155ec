import { periodOf } from "../../data/periods"
import { ActivePeriod, canRegroup, regroupPeriods, regroupedPeriod } from "../periods"

const week = (iso: string): number => periodOf(Date.parse(iso), "week")
const month = (iso: string): number => periodOf(Date.parse(iso), "month")

describe("regroupPeriods", () => {
  // Weeks starting Mon 2024-01-22, 01-29 (starts in January, runs into February) and 02-05.
  const w1 = week("2024-01-22")
  const w2 = week("2024-01-29")
  const w3 = week("2024-02-05")
  const customer: ActivePeriod[] = [
    { period: w1, vector: new Map([[0, 1]]) },
    { period: w2, vector: new Map([[0, 2], [1, 1]]) },
    { period: w3, vector: new Map([[1, 4]]) },
  ]

  it("keeps the model's periods when the unit is the same, cut to the window", () => {
    const [seq] = regroupPeriods([customer], "week", "week", { first: w2, last: w3 })
    expect(seq.map((p) => p.period)).toEqual([w2, w3])
  })

  it("adds up the weeks that start in the same month", () => {
    const jan = month("2024-01-15")
    expect(regroupedPeriod(w2, "week", "month")).toBe(jan)
    const [seq] = regroupPeriods([customer], "week", "month", { first: jan, last: jan + 1 })
    expect(seq.map((p) => p.period)).toEqual([jan, jan + 1])
    expect([...seq[0].vector]).toEqual([[0, 3], [1, 1]])
    expect([...seq[1].vector]).toEqual([[1, 4]])
    // The model's own vectors are not changed.
    expect([...customer[0].vector]).toEqual([[0, 1]])
  })

  it("leaves out customers without a period in the window", () => {
    expect(regroupPeriods([customer, []], "week", "week", { first: w3 + 1, last: w3 + 5 })).toEqual([])
  })

  it("cannot split a coarser model's periods", () => {
    expect(canRegroup("week", "day")).toBe(false)
    expect(canRegroup("week", "month")).toBe(true)
    expect(canRegroup("day", "day")).toBe(true)
    expect(() => regroupPeriods([customer], "week", "day", { first: 0, last: 1 })).toThrow("cannot be split into days")
  })
})
