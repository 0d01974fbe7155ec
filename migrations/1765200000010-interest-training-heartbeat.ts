import { MigrationInterface, QueryRunner } from "typeorm"

/**
 * A heartbeat on each training run: the process training it writes the time
 * every few seconds, so a run whose process died shows when it stopped.
 */
export class InterestTrainingHeartbeat1765200000010 implements MigrationInterface {
  name = "InterestTrainingHeartbeat1765200000010"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "interest_training_run" ADD COLUMN IF NOT EXISTS "heartbeat_at" TIMESTAMP WITH TIME ZONE`
    )
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "interest_training_run" DROP COLUMN IF EXISTS "heartbeat_at"`)
  }
}
