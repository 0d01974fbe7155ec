import { MigrationInterface, QueryRunner } from "typeorm"

/**
 * Online experiments: a placement's traffic split between arms (the model, a
 * control strategy, another model version), and each served list's experiment
 * and arm on its impression, so outcomes can be counted per arm. The partial
 * unique index keeps at most one experiment running per placement, whatever
 * two admins click at the same moment.
 */
export class InterestExperiment1765500000000 implements MigrationInterface {
  name = "InterestExperiment1765500000000"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_experiment" (
        "id" character varying NOT NULL,
        "name" character varying NOT NULL,
        "placement" character varying NOT NULL,
        "arms" jsonb NOT NULL,
        "control_arm" character varying NOT NULL,
        "status" character varying NOT NULL DEFAULT 'draft',
        "winner" character varying,
        "started_at" TIMESTAMP WITH TIME ZONE,
        "stopped_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_interest_experiment" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_interest_experiment_status" CHECK ("status" IN ('draft', 'running', 'stopped'))
      )`)
    await queryRunner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS "UQ_interest_experiment_running_placement" ON "interest_experiment" ("placement") WHERE "status" = 'running'`
    )
    await queryRunner.query(`ALTER TABLE "interest_impression" ADD COLUMN IF NOT EXISTS "experiment_id" character varying`)
    await queryRunner.query(`ALTER TABLE "interest_impression" ADD COLUMN IF NOT EXISTS "arm" character varying`)
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_impression_experiment" ON "interest_impression" ("experiment_id", "created_at") WHERE "experiment_id" IS NOT NULL`
    )
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "IDX_interest_impression_experiment"`)
    await queryRunner.query(`ALTER TABLE "interest_impression" DROP COLUMN IF EXISTS "arm"`)
    await queryRunner.query(`ALTER TABLE "interest_impression" DROP COLUMN IF EXISTS "experiment_id"`)
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_experiment"`)
  }
}
