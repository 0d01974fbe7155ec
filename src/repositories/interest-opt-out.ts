import { dataSource } from "@medusajs/medusa/dist/loaders/database"
import { InterestOptOut } from "../models/interest-opt-out"
import { VISITOR_PREFIX } from "../types/events"
import { optOutKey } from "./sql/opt-out-key"

/** The opt-out list (`interest_opt_out`), keyed by digest (sql/opt-out-key.ts). */
export const InterestOptOutRepository = dataSource.getRepository(InterestOptOut).extend({
  /**
   * @param subjects - customer ids and visitor subjects (`visitorSubject`)
   * @return the subset that opted out
   */
  async optedOut(subjects: string[]): Promise<Set<string>> {
    const unique = Array.from(new Set(subjects))
    if (!unique.length) return new Set<string>()
    const byKey = new Map(unique.map((s) => [optOutKey(s), s]))
    const rows: { subject_id: string }[] = await this.query(
      `SELECT "subject_id" FROM "interest_opt_out" WHERE "subject_id" = ANY($1)`,
      [[...byKey.keys()]]
    )
    return new Set(rows.map((r) => byKey.get(r.subject_id) as string))
  },

  /** Opts subjects out (again): their later events are not stored. */
  async optOut(subjects: string[], reason: string | null): Promise<void> {
    const unique = Array.from(new Set(subjects))
    if (!unique.length) return
    await this.query(
      `INSERT INTO "interest_opt_out" ("subject_id", "subject_type", "reason")
       SELECT k, t, $3 FROM unnest($1::text[], $2::text[]) AS u(k, t)
       ON CONFLICT ("subject_id") DO UPDATE SET "reason" = COALESCE(EXCLUDED."reason", "interest_opt_out"."reason")`,
      [unique.map(optOutKey), unique.map((s) => (s.startsWith(VISITOR_PREFIX) ? "visitor" : "customer")), reason]
    )
  },
})

export default InterestOptOutRepository
