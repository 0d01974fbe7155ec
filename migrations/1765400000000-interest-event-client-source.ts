import { MigrationInterface, QueryRunner } from "typeorm"

/**
 * Where an event was sent from: a keyed hash of the client's address (never the
 * address itself), so that shoppers without an order who share one count as one
 * shopper in popularity, trending and co-occurrence.
 */
export class InterestEventClientSource1765400000000 implements MigrationInterface {
  name = "InterestEventClientSource1765400000000"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "interest_event" ADD COLUMN IF NOT EXISTS "client_source" character varying`)
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "interest_event" DROP COLUMN IF EXISTS "client_source"`)
  }
}
