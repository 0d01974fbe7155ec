import { MigrationInterface, QueryRunner } from "typeorm"

/**
 * The shop's own table (the starter keeps its getting-started progress in one
 * like it). Medusa runs a project's migrations from dist/migrations, so this
 * one exists for `medusa migrations run` only after `npm run build`.
 */
export class CreateOnboardingState1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "onboarding_state" ("id" character varying PRIMARY KEY, "current_step" character varying NULL,
        "is_complete" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now())`
    )
    await queryRunner.query(`INSERT INTO "onboarding_state" ("id") VALUES ('onboarding_shop')`)
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "onboarding_state"`)
  }
}
