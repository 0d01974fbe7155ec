/**
 * The statements of the demo seeder (src/demo/seed-shop.ts), which runs outside
 * Medusa against its own `pg` pool: SQL text only.
 */

/** $1: emails. The registered (account) customers among them. */
export const DEMO_CUSTOMERS_BY_EMAIL = `SELECT id, email FROM customer WHERE email = ANY($1) AND has_account AND deleted_at IS NULL`

/** The store's default sales channel (id). */
export const DEFAULT_SALES_CHANNEL = `SELECT default_sales_channel_id AS id FROM store LIMIT 1`

/** The columns of one simulated history row, in the order `insertDemoEventsSql` takes them. */
export const DEMO_EVENT_COLUMNS = ["id", "customer_id", "product_id", "type", "sales_channel_id", "quantity", "occurred_at", "client_event_id"] as const

/**
 * A multi-row insert of simulated history, each row marked as demo in its
 * metadata; a client event id already stored is skipped (so reseeding adds nothing).
 * @param rows - how many rows of DEMO_EVENT_COLUMNS.length parameters follow
 */
export function insertDemoEventsSql(rows: number): string {
  const width = DEMO_EVENT_COLUMNS.length
  const values = Array.from({ length: rows }, (_, r) => {
    const slots = Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`)
    return `(${slots.join(", ")}, '{"demo": true}'::jsonb)`
  })
  return `INSERT INTO interest_event (${DEMO_EVENT_COLUMNS.join(", ")}, metadata)
       VALUES ${values.join(", ")}
       ON CONFLICT (client_event_id) WHERE client_event_id IS NOT NULL DO NOTHING`
}

/** $1: emails. How many orders those customers placed (n). */
export const ORDERS_OF_EMAILS = `SELECT count(*) AS n FROM "order" o JOIN customer c ON c.id = o.customer_id WHERE c.email = ANY($1)`

/** $1: product ids. The first (by id) live variant of each. */
export const FIRST_VARIANTS = `SELECT DISTINCT ON (product_id) product_id, id FROM product_variant WHERE product_id = ANY($1) AND deleted_at IS NULL ORDER BY product_id, id`

/** The shop's first region (id). */
export const FIRST_REGION = `SELECT id FROM region WHERE deleted_at IS NULL ORDER BY created_at LIMIT 1`
