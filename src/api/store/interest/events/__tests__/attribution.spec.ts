import type { ServedList } from "../../../../../services/interest-event"
import { creditsList } from "../attribution"

const anonymous: ServedList = { customer_id: null, visitor_id: "visitor_a1", product_ids: ["prod_1", "prod_2"] }
const customers: ServedList = { customer_id: "cus_a", visitor_id: null, product_ids: ["prod_1"] }

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
    expect(creditsList({ customer_id: null, visitor_id: null, product_ids: ["prod_1"] }, null, null, "prod_1")).toBe(false)
  })
})
