import { MigrationInterface, QueryRunner } from "typeorm"

/**
 * A model version's segment assignment (each customer's segment, which becomes
 * the segments' membership when the version is activated) gets a column of its
 * own, out of `metrics`: metrics stay what admins read, and the assignment,
 * one entry per customer, is read by membership and erasure only.
 */
export class InterestModelVersionSegmentAssignment1765500000010 implements MigrationInterface {
  name = "InterestModelVersionSegmentAssignment1765500000010"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "interest_model_version" ADD COLUMN IF NOT EXISTS "segment_assignment" jsonb`)
    await queryRunner.query(
      `UPDATE "interest_model_version"
       SET "segment_assignment" = "metrics"->'assignment', "metrics" = "metrics" - 'assignment'
       WHERE jsonb_typeof("metrics") = 'object' AND "metrics" ? 'assignment'`
    )
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "interest_model_version"
       SET "metrics" = COALESCE("metrics", '{}'::jsonb) || jsonb_build_object('assignment', "segment_assignment")
       WHERE "segment_assignment" IS NOT NULL AND jsonb_typeof(COALESCE("metrics", '{}'::jsonb)) = 'object'`
    )
    await queryRunner.query(`ALTER TABLE "interest_model_version" DROP COLUMN IF EXISTS "segment_assignment"`)
  }
}
