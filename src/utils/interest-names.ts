import { EntityManager } from "typeorm"

/** Human names of the interests the engine works on (categories, collections, tags, types). */
export async function loadInterestNames(manager: EntityManager): Promise<Map<string, string>> {
  const rows: { id: string; name: string }[] = await manager.query(
    `SELECT id, name FROM product_category
     UNION ALL SELECT id, title FROM product_collection WHERE deleted_at IS NULL
     UNION ALL SELECT id, value FROM product_tag WHERE deleted_at IS NULL
     UNION ALL SELECT id, value FROM product_type WHERE deleted_at IS NULL`
  )
  return new Map(rows.map((r) => [r.id, r.name]))
}

/** Replaces interest ids in an engine text ("your interest in pcat_… is rising") by their names. */
export function humanize(text: string, names: Map<string, string>): string {
  return text.replace(/\b(pcat|pcol|ptag|ptyp)_[A-Za-z0-9_]+/g, (id) => names.get(id) ?? id)
}
