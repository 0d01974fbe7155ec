import { MigrationInterface, QueryRunner } from "typeorm"

/**
 * Visitor ids identified into a customer (one customer per visitor id, once),
 * and opt-outs kept as digests: `interest_opt_out.subject_id` becomes the
 * SHA-256 (hex) of the subject (a customer id, or `v:` + a visitor id), so the
 * list that refuses an erased shopper's later events no longer names them.
 */
export class InterestVisitorLink1765000000001 implements MigrationInterface {
  name = "InterestVisitorLink1765000000001"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_visitor_link" (
        "visitor_id" character varying NOT NULL,
        "customer_id" character varying NOT NULL,
        "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_interest_visitor_link" PRIMARY KEY ("visitor_id")
      )`)
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_visitor_link_customer" ON "interest_visitor_link" ("customer_id")`
    )
    // Visitor ids already identified (their events carry a customer): the first customer keeps them.
    await queryRunner.query(`
      INSERT INTO "interest_visitor_link" ("visitor_id", "customer_id", "linked_at")
      SELECT DISTINCT ON ("visitor_id") "visitor_id", "customer_id", "updated_at" FROM "interest_event"
      WHERE "visitor_id" IS NOT NULL AND "customer_id" IS NOT NULL
      ORDER BY "visitor_id", "updated_at", "id"
      ON CONFLICT ("visitor_id") DO NOTHING`)
    await queryRunner.query(`
      UPDATE "interest_opt_out" SET "subject_id" = encode(sha256(convert_to(
        CASE WHEN "subject_type" = 'visitor' THEN 'v:' || "subject_id" ELSE "subject_id" END, 'UTF8')), 'hex')
      WHERE "subject_id" !~ '^[0-9a-f]{64}$'`)
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Opt-out digests cannot be turned back into ids: they stay digests.
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_visitor_link"`)
  }
}
