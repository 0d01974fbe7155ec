import { MigrationInterface, QueryRunner } from "typeorm"

/**
 * Events by product and time: the admin's "top contributors" of a product read
 * one product's events of a window, which the occurred_at index alone would
 * answer by scanning every product's events of that window.
 */
export class InterestEventProductTime1765300000010 implements MigrationInterface {
  name = "InterestEventProductTime1765300000010"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_event_product_time" ON "interest_event" ("product_id", "occurred_at")`
    )
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "IDX_interest_event_product_time"`)
  }
}
