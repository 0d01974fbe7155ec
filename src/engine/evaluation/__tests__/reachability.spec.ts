import { buildDataset } from "../../data/dataset"
import { computeEventPeriods } from "../../profiles/period-profiles"
import { lastPeriodStart } from "../../pipeline/train-model"
import { InterestEvent } from "../../types"
import { computeReachability, reachabilityK } from "../reachability"

const DAY = 86400000
const T0 = Date.UTC(2024, 0, 1)

/**
 * Test period = each customer's last active day (as evaluateOnEvents computes it):
 *   A  input day 0: p1 p2        test day 1: p1 (viewed and bought), p3, p5
 *   B  input days 0-1: p3, p4    test day 2: p4, p6
 *   C  no input                  test day 2: p1, p7
 *   D  input day 0: p8           test day 1: p8, p7
 *   E  input day 2: p5           test day 3: p2
 * Inputs: A {p1,p2}, B {p3,p4}, C {}, D {p8}, E {p5}. p6 and p7 only ever occur in test periods.
 * Pairs (10; A's p1 counted once):
 *   A: p1 own, p3 others (B), p5 others (E: its input is later in time than A's test, but
 *      visible at training time)
 *   B: p4 own, p6 unseen     C: p1 others (A), p7 unseen
 *   D: p8 own, p7 unseen (C's p7 is a test event, not input)     E: p2 others (A)
 * -> own 3/10, others 4/10, unseen 3/10.
 * Own oracle, NDCG@10 (ranking = the customer's own relevant items):
 *   A: [p1] of {p1,p3,p5}: 1 / (1 + 1/log2 3 + 1/2) = 1 / 2.13093 = 0.46928
 *   B: [p4] of {p4,p6}:   1 / (1 + 1/log2 3)       = 1 / 1.63093 = 0.61315
 *   C: 0    D: like B: 0.61315    E: 0
 *   mean over 5 customers = (0.46928 + 2 * 0.61315) / 5 = 0.3391
 * At k=1 each customer with an own relevant item scores 1: 3/5 = 0.6.
 */
function dataset(): { ds: ReturnType<typeof buildDataset>; testStart: Int32Array } {
  const rows: [string, string, number][] = [
    ["A", "p1", 0],
    ["A", "p2", 0],
    ["A", "p1", 1],
    ["A", "p3", 1],
    ["A", "p5", 1],
    ["B", "p3", 0],
    ["B", "p4", 1],
    ["B", "p4", 2],
    ["B", "p6", 2],
    ["C", "p1", 2],
    ["C", "p7", 2],
    ["D", "p8", 0],
    ["D", "p8", 1],
    ["D", "p7", 1],
    ["E", "p5", 2],
    ["E", "p2", 3],
  ]
  const events: InterestEvent[] = rows.map(([customerId, productId, day], i) => ({
    customerId,
    productId,
    type: "view",
    timestamp: T0 + day * DAY + i * 60000,
  }))
  events.push({ customerId: "A", productId: "p1", type: "purchase", timestamp: T0 + DAY + 3600000 })
  const ds = buildDataset(events, [{ id: "never-touched", categoryIds: ["c"] }])
  const periods = computeEventPeriods(ds, "day")
  return { ds, testStart: lastPeriodStart(ds, periods, ds.customerOffsets.slice(1)) }
}

describe("computeReachability (hand-computed)", () => {
  const { ds, testStart } = dataset()

  it("splits the (customer, test product) pairs into own / others / unseen", () => {
    const r = computeReachability(ds, testStart, 10)
    expect(r.pairs).toBe(10)
    expect(r.own).toBeCloseTo(0.3, 12)
    expect(r.others).toBeCloseTo(0.4, 12)
    expect(r.unseen).toBeCloseTo(0.3, 12)
    expect(r.k).toBe(10)
  })

  it("gives the NDCG of ranking exactly the own relevant items first", () => {
    const a = 1 / (1 + 1 / Math.log2(3) + 0.5)
    const b = 1 / (1 + 1 / Math.log2(3))
    const r = computeReachability(ds, testStart, 10)
    expect(r.ownOracleNdcg).toBeCloseTo((a + 2 * b) / 5, 12)
    expect(r.ownOracleNdcg).toBeCloseTo(0.3391, 4)
    expect(computeReachability(ds, testStart, 1).ownOracleNdcg).toBeCloseTo(0.6, 12)
  })

  it("uses k=10 when reported, else the largest k", () => {
    expect(reachabilityK([5, 10, 20])).toBe(10)
    expect(reachabilityK([20, 5])).toBe(20)
    expect(reachabilityK([3])).toBe(3)
  })
})
