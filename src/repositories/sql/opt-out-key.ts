import crypto from "crypto"

/**
 * Opt-outs are kept as digests: `interest_opt_out.subject_id` holds the SHA-256
 * (hex) of the subject, a customer id or `v:` + a visitor id (the subject ids of
 * training, so a visitor id can never pass for a customer id). The list refuses
 * an erased shopper's later events without naming them. The digest is written
 * twice, in JS and in SQL, so both sit here side by side.
 */

/** @return the opt-out key of a subject id */
export function optOutKey(subject: string): string {
  return crypto.createHash("sha256").update(subject, "utf8").digest("hex")
}

/** The same digest in SQL, of a text expression. */
export function optOutKeySql(expr: string): string {
  return `encode(sha256(convert_to(${expr}, 'UTF8')), 'hex')`
}
