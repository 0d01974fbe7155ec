import { Client } from "pg"
import type { QueryRunner } from "typeorm"
import { InterestModelVersionSegmentAssignment1765500000010 as Migration } from "../../migrations/1765500000010-interest-model-version-segment-assignment"
import { itState } from "../support/harness"

const ASSIGNMENT = [
  { segment_id: "iseg_a", customer_id: "cus_1", distance: null },
  { segment_id: "iseg_b", customer_id: "cus_2", distance: 0.5 },
]
const REPORT = { report: { validation: { hr: 0.4 } }, silhouette: 0.3, segments: [{ id: "iseg_a" }, { id: "iseg_b" }] }

/**
 * The migration that moves `metrics.assignment` into `segment_assignment`, run
 * up and down on the shape of the table before it. A temporary table of the
 * same name shadows the real one for this connection only (pg_temp comes first
 * in the search path), so the shared database is not touched.
 */
describe("migration: a model version's segment assignment gets its own column", () => {
  let client: Client
  const rows = async (): Promise<Record<string, Record<string, unknown>>> => {
    const result = await client.query(`SELECT id, to_jsonb(t) - 'id' AS row FROM interest_model_version t ORDER BY id`)
    return Object.fromEntries(result.rows.map((r: { id: string; row: Record<string, unknown> }) => [r.id, r.row]))
  }

  beforeAll(async () => {
    client = new Client({ connectionString: itState().databaseUrl })
    await client.connect()
    await client.query(`CREATE TEMP TABLE interest_model_version (id varchar PRIMARY KEY, metrics jsonb)`)
    await client.query(`INSERT INTO interest_model_version (id, metrics) VALUES ($1, $2), ($3, $4), ($5, NULL)`, [
      "imv_with",
      JSON.stringify({ ...REPORT, assignment: ASSIGNMENT }),
      "imv_without",
      JSON.stringify(REPORT),
      "imv_none",
    ])
  })

  afterAll(async () => {
    await client.query(`DROP TABLE IF EXISTS pg_temp.interest_model_version`).catch(() => undefined)
    await client.end()
  })

  const runner = (): QueryRunner =>
    ({ query: async (text: string, params?: unknown[]) => (await client.query(text, params)).rows }) as unknown as QueryRunner

  it("up moves the assignment out of metrics, and leaves versions without one as they were", async () => {
    await new Migration().up(runner())
    expect(await rows()).toEqual({
      imv_none: { metrics: null, segment_assignment: null },
      imv_with: { metrics: REPORT, segment_assignment: ASSIGNMENT },
      imv_without: { metrics: REPORT, segment_assignment: null },
    })
  })

  it("down moves it back and drops the column", async () => {
    await new Migration().down(runner())
    expect(await rows()).toEqual({
      imv_none: { metrics: null },
      imv_with: { metrics: { ...REPORT, assignment: ASSIGNMENT } },
      imv_without: { metrics: REPORT },
    })
  })
})
