/**
 * The product categories a shopper sees. Medusa v1 keeps internal categories
 * (merchandising groups such as a starter's "Hidden homepage featured") and
 * inactive ones out of the store; here they are not interests either, so they
 * never name a segment, appear in a reason or make two products "in the same
 * category". A category that becomes internal or inactive drops out at the
 * next training run.
 */

/** The condition on a `product_category` row of alias `alias`. */
export function shopperCategorySql(alias: string): string {
  return `${alias}."is_internal" = false AND ${alias}."is_active" = true`
}
