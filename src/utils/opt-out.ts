import crypto from "crypto"
import { EntityManager } from "typeorm"
import { VISITOR_PREFIX } from "../types/events"

/**
 * Opt-outs are kept as digests: `interest_opt_out.subject_id` holds the SHA-256
 * (hex) of the subject, a customer id or `v:` + a visitor id (the subject ids of
 * training, so a visitor id can never pass for a customer id). The list refuses
 * an erased shopper's later events without naming them.
 */

/** The subject id of an anonymous visitor, as training and the opt-out list spell it. */
export function visitorSubject(visitorId: string): string {
  return `${VISITOR_PREFIX}${visitorId}`
}

/** @return the opt-out key of a subject id */
export function optOutKey(subject: string): string {
  return crypto.createHash("sha256").update(subject, "utf8").digest("hex")
}

/** The same digest in SQL, of a text expression. */
export function optOutKeySql(expr: string): string {
  return `encode(sha256(convert_to(${expr}, 'UTF8')), 'hex')`
}

/**
 * @param subjects - customer ids and visitor subjects (`visitorSubject`)
 * @return the subset that opted out
 */
export async function optedOutSubjects(manager: EntityManager, subjects: string[]): Promise<Set<string>> {
  const unique = Array.from(new Set(subjects))
  if (!unique.length) return new Set()
  const byKey = new Map(unique.map((s) => [optOutKey(s), s]))
  const rows: { subject_id: string }[] = await manager.query(
    `SELECT "subject_id" FROM "interest_opt_out" WHERE "subject_id" = ANY($1)`,
    [[...byKey.keys()]]
  )
  return new Set(rows.map((r) => byKey.get(r.subject_id) as string))
}

/** Opts subjects out (again): their later events are not stored. */
export async function optOut(manager: EntityManager, subjects: string[], reason: string | null): Promise<void> {
  const unique = Array.from(new Set(subjects))
  if (!unique.length) return
  await manager.query(
    `INSERT INTO "interest_opt_out" ("subject_id", "subject_type", "reason")
     SELECT k, t, $3 FROM unnest($1::text[], $2::text[]) AS u(k, t)
     ON CONFLICT ("subject_id") DO UPDATE SET "reason" = COALESCE(EXCLUDED."reason", "interest_opt_out"."reason")`,
    [unique.map(optOutKey), unique.map((s) => (s.startsWith(VISITOR_PREFIX) ? "visitor" : "customer")), reason]
  )
}
