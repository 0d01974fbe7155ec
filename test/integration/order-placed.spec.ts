import { closeDb, createCustomer, placeOrder, products, sql, waitFor } from "../support/harness"

type Purchase = { product_id: string; variant_id: string; quantity: number; source_order_id: string; sales_channel_id: string | null; client_event_id: string }

describe("order.placed subscriber", () => {
  afterAll(closeDb)

  it("records one purchase per line item of a real order, once", async () => {
    const customer = await createCustomer()
    const [a, b] = await products(2)
    const order = await placeOrder(customer, [
      { variantId: a.variantId, quantity: 2 },
      { variantId: b.variantId, quantity: 1 },
    ])
    const rows = await waitFor(async () => {
      const r = await sql<Purchase>(
        `SELECT * FROM interest_event WHERE source_order_id = $1 AND type = 'purchase' ORDER BY product_id`,
        [order.id]
      )
      return r.length === 2 ? r : null
    })
    const [orderRow] = await sql<{ customer_id: string; sales_channel_id: string }>(
      `SELECT customer_id, sales_channel_id FROM "order" WHERE id = $1`,
      [order.id]
    )
    expect(orderRow.customer_id).toBe(customer.id)
    const byProduct = Object.fromEntries(rows.map((r) => [r.product_id, r]))
    expect(byProduct[a.id]).toMatchObject({ variant_id: a.variantId, quantity: 2, sales_channel_id: orderRow.sales_channel_id })
    expect(byProduct[b.id]).toMatchObject({ variant_id: b.variantId, quantity: 1 })
    const customers = await sql(`SELECT DISTINCT customer_id FROM interest_event WHERE source_order_id = $1`, [order.id])
    expect(customers).toEqual([{ customer_id: customer.id }])

    // A second delivery of the same order.placed (the bus is at-least-once)
    // must not add rows: stage the event again, as Medusa's own emit does.
    // One line removed first: its return proves the redelivery ran, and its one INSERT decided the other line too.
    const removed = byProduct[b.id]
    await sql(`DELETE FROM interest_event WHERE client_event_id = $1`, [removed.client_event_id])
    await sql(
      `INSERT INTO staged_job (id, event_name, data, options) VALUES ($1, 'order.placed', $2, '{}')`,
      [`job_redeliver_${Date.now()}`, JSON.stringify({ id: order.id, no_notification: true })]
    )
    const restored = await waitFor(
      async () => {
        const r = await sql<Purchase>(`SELECT * FROM interest_event WHERE client_event_id = $1`, [removed.client_event_id])
        return r.length ? r : null
      },
      { what: `the redelivered order.placed to restore ${removed.client_event_id}` }
    )
    expect(restored[0]).toMatchObject({ product_id: b.id, variant_id: b.variantId, quantity: 1, source_order_id: order.id })
    const again = await sql<Purchase>(`SELECT * FROM interest_event WHERE source_order_id = $1 ORDER BY product_id`, [order.id])
    expect(again).toHaveLength(2)
    expect(again.map((r) => r.client_event_id)).toEqual(rows.map((r) => r.client_event_id))
  })
})
