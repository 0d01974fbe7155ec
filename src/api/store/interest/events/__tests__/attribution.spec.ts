import type { ServedList } from "../../../../../services/interest-event"
import { creditsList } from "../attribution"

const anonymous: ServedList = { customer_id: null, visitor_id: "visitor_a1", product_ids: ["prod_1", "prod_2"], experiment_id: null, arm: null }
const customers: ServedList = { customer_id: "cus_a", visitor_id: null, product_ids: ["prod_1"], experiment_id: null, arm: null }
const inExperiment: ServedList = { ...anonymous, experiment_id: "iexp_1", arm: "model" }

describe("creditsList", () => {
  it("credits a list served anonymously to the same visitor id, logged in since or not", () => {
    expect(creditsList(anonymous, null, "visitor_a1", "prod_2")).toBe(true)
    expect(creditsList(anonymous, "cus_a", "visitor_a1", "prod_1")).toBe(true)
  })

  it("credits a customer's list only to that customer", () => {
    expect(creditsList(customers, "cus_a", null, "prod_1")).toBe(true)
    expect(creditsList(customers, "cus_b", null, "prod_1")).toBe(false)
    // Their visitor id does not stand in for the customer: the list was not served to it.
    expect(creditsList(customers, null, "visitor_a1", "prod_1")).toBe(false)
  })

  it("credits nothing for another visitor, a product the list did not show, or an unknown list", () => {
    expect(creditsList(anonymous, null, "visitor_b2", "prod_1")).toBe(false)
    expect(creditsList(anonymous, null, null, "prod_1")).toBe(false)
    expect(creditsList(anonymous, "cus_a", null, "prod_1")).toBe(false)
    expect(creditsList(anonymous, null, "visitor_a1", "prod_3")).toBe(false)
    expect(creditsList(undefined, null, "visitor_a1", "prod_1")).toBe(false)
    expect(creditsList({ ...anonymous, visitor_id: null }, null, null, "prod_1")).toBe(false)
  })

  it("credits an event naming an experiment and arm only when they are the list's", () => {
    expect(creditsList(inExperiment, null, "visitor_a1", "prod_1", { experiment_id: "iexp_1", arm: "model" })).toBe(true)
    expect(creditsList(inExperiment, null, "visitor_a1", "prod_1", {})).toBe(true)
    expect(creditsList(inExperiment, null, "visitor_a1", "prod_1", { experiment_id: "iexp_1", arm: "control" })).toBe(false)
    expect(creditsList(inExperiment, null, "visitor_a1", "prod_1", { experiment_id: "iexp_2" })).toBe(false)
    expect(creditsList(anonymous, null, "visitor_a1", "prod_1", { experiment_id: "iexp_1", arm: "model" })).toBe(false)
  })
})
