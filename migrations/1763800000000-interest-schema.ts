import { MigrationInterface, QueryRunner } from "typeorm"

/**
 * The whole schema of the plugin, designed up front so later features do not
 * churn it: events, period profiles, segments and members, model versions and
 * training runs, precomputed recommendations, opt-outs and prepared product cards.
 */
export class InterestSchema1763800000000 implements MigrationInterface {
  name = "InterestSchema1763800000000"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_event" (
        "id" character varying NOT NULL,
        "customer_id" character varying,
        "visitor_id" character varying,
        "product_id" character varying NOT NULL,
        "variant_id" character varying,
        "type" character varying NOT NULL,
        "sales_channel_id" character varying,
        "quantity" integer NOT NULL DEFAULT 1,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "client_event_id" character varying,
        "source_order_id" character varying,
        "recommendation_id" character varying,
        "metadata" jsonb,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_interest_event" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_interest_event_type" CHECK ("type" IN ('view','add_to_cart','wishlist','purchase','click')),
        CONSTRAINT "CHK_interest_event_subject" CHECK ("customer_id" IS NOT NULL OR "visitor_id" IS NOT NULL),
        CONSTRAINT "CHK_interest_event_quantity" CHECK ("quantity" > 0)
      )`)
    await queryRunner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS "UQ_interest_event_client_event_id" ON "interest_event" ("client_event_id") WHERE "client_event_id" IS NOT NULL`
    )
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_event_customer_time" ON "interest_event" ("customer_id", "occurred_at") WHERE "customer_id" IS NOT NULL`
    )
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_event_visitor_time" ON "interest_event" ("visitor_id", "occurred_at") WHERE "visitor_id" IS NOT NULL`
    )
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_event_occurred_at" ON "interest_event" ("occurred_at")`
    )
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_event_sales_channel" ON "interest_event" ("sales_channel_id")`
    )
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_event_source_order" ON "interest_event" ("source_order_id") WHERE "source_order_id" IS NOT NULL`
    )
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_event_recommendation" ON "interest_event" ("recommendation_id") WHERE "recommendation_id" IS NOT NULL`
    )

    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_profile" (
        "id" character varying NOT NULL,
        "subject_id" character varying NOT NULL,
        "subject_type" character varying NOT NULL DEFAULT 'customer',
        "dimension" character varying NOT NULL DEFAULT 'category',
        "period" character varying NOT NULL,
        "period_start" TIMESTAMP WITH TIME ZONE NOT NULL,
        "vector" jsonb NOT NULL,
        "event_count" integer NOT NULL DEFAULT 0,
        "model_version_id" character varying,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_interest_profile" PRIMARY KEY ("id")
      )`)
    await queryRunner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS "UQ_interest_profile_subject_period" ON "interest_profile" ("subject_id", "dimension", "period", "period_start")`
    )
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_profile_model_version" ON "interest_profile" ("model_version_id")`
    )

    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_segment" (
        "id" character varying NOT NULL,
        "name" character varying NOT NULL,
        "auto_name" character varying NOT NULL,
        "description" text,
        "pinned" boolean NOT NULL DEFAULT false,
        "size" integer NOT NULL DEFAULT 0,
        "top_interests" jsonb NOT NULL DEFAULT '[]',
        "centroid" jsonb NOT NULL DEFAULT '{}',
        "cohesion" real,
        "drift" real,
        "status" character varying NOT NULL DEFAULT 'active',
        "model_version_id" character varying,
        "customer_group_id" character varying,
        "synced_at" TIMESTAMP WITH TIME ZONE,
        "metadata" jsonb,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "deleted_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_interest_segment" PRIMARY KEY ("id")
      )`)
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_segment_model_version" ON "interest_segment" ("model_version_id")`
    )

    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_segment_member" (
        "segment_id" character varying NOT NULL,
        "customer_id" character varying NOT NULL,
        "distance" real,
        "model_version_id" character varying,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_interest_segment_member" PRIMARY KEY ("segment_id", "customer_id"),
        CONSTRAINT "FK_interest_segment_member_segment" FOREIGN KEY ("segment_id")
          REFERENCES "interest_segment" ("id") ON DELETE CASCADE
      )`)
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_segment_member_customer" ON "interest_segment_member" ("customer_id")`
    )

    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_training_run" (
        "id" character varying NOT NULL,
        "status" character varying NOT NULL DEFAULT 'running',
        "trigger" character varying NOT NULL DEFAULT 'admin',
        "progress" jsonb NOT NULL DEFAULT '{}',
        "model_version_id" character varying,
        "error" text,
        "finished_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_interest_training_run" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_interest_training_run_status" CHECK ("status" IN ('running','succeeded','failed'))
      )`)
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_training_run_status" ON "interest_training_run" ("status")`
    )

    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_model_version" (
        "id" character varying NOT NULL,
        "status" character varying NOT NULL DEFAULT 'training',
        "is_active" boolean NOT NULL DEFAULT false,
        "artifacts" jsonb,
        "metrics" jsonb,
        "options" jsonb,
        "backend" character varying,
        "duration_ms" integer,
        "event_count" integer NOT NULL DEFAULT 0,
        "customer_count" integer NOT NULL DEFAULT 0,
        "error" text,
        "activated_at" TIMESTAMP WITH TIME ZONE,
        "training_run_id" character varying,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "deleted_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_interest_model_version" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_interest_model_version_status" CHECK ("status" IN ('training','ready','failed'))
      )`)
    await queryRunner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS "UQ_interest_model_version_active" ON "interest_model_version" ("is_active") WHERE "is_active" AND "deleted_at" IS NULL`
    )
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_model_version_run" ON "interest_model_version" ("training_run_id")`
    )

    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_recommendation" (
        "id" character varying NOT NULL,
        "model_version_id" character varying NOT NULL,
        "subject_id" character varying NOT NULL,
        "placement" character varying NOT NULL,
        "context_id" character varying NOT NULL DEFAULT '',
        "items" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_interest_recommendation" PRIMARY KEY ("id"),
        CONSTRAINT "FK_interest_recommendation_model_version" FOREIGN KEY ("model_version_id")
          REFERENCES "interest_model_version" ("id") ON DELETE CASCADE
      )`)
    await queryRunner.query(
      `CREATE UNIQUE INDEX IF NOT EXISTS "UQ_interest_recommendation_key" ON "interest_recommendation" ("model_version_id", "subject_id", "placement", "context_id")`
    )

    // One row per list served by GET /store/recommendations; its id is the
    // recommendation_id the storefront sends back with clicks and add-to-carts.
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_impression" (
        "id" character varying NOT NULL,
        "model_version_id" character varying,
        "customer_id" character varying,
        "visitor_id" character varying,
        "placement" character varying NOT NULL,
        "context_id" character varying NOT NULL DEFAULT '',
        "product_ids" jsonb NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_interest_impression" PRIMARY KEY ("id")
      )`)
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS "IDX_interest_impression_placement_time" ON "interest_impression" ("placement", "created_at")`
    )

    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_opt_out" (
        "subject_id" character varying NOT NULL,
        "subject_type" character varying NOT NULL DEFAULT 'customer',
        "reason" text,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_interest_opt_out" PRIMARY KEY ("subject_id")
      )`)

    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS "interest_product_card" (
        "product_id" character varying NOT NULL,
        "price_context" character varying NOT NULL,
        "card" jsonb NOT NULL,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_interest_product_card" PRIMARY KEY ("product_id", "price_context")
      )`)
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_product_card"`)
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_opt_out"`)
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_impression"`)
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_recommendation"`)
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_model_version"`)
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_training_run"`)
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_segment_member"`)
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_segment"`)
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_profile"`)
    await queryRunner.query(`DROP TABLE IF EXISTS "interest_event"`)
  }
}
