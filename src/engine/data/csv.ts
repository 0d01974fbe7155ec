/**
 * Reader for the interest-events CSV (see docs/evaluate.md):
 *   customer_id,product_id,type,timestamp,category_ids
 * plus optional columns quantity, channel_id, collection_id, tag_ids, type_id, title.
 * Every problem is reported as a plain Error that names the line, because the
 * person reading it is a merchant checking their own export.
 */
import { CatalogProduct, EVENT_TYPES, EventType, InterestEvent } from "../types"

export const REQUIRED_COLUMNS = ["customer_id", "product_id", "type", "timestamp", "category_ids"] as const

export interface ParsedEvents {
  events: InterestEvent[]
  catalog: CatalogProduct[]
}

/** Splits one CSV record; supports double-quoted fields with "" escapes. */
export function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(",")
  const out: string[] = []
  let field = ""
  let quoted = false
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ",") {
      out.push(field)
      field = ""
    } else field += ch
  }
  out.push(field)
  return out
}

const ISO_LIKE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/

/** ISO-8601 (a missing zone means UTC) or epoch milliseconds/seconds as digits. */
export function parseTimestamp(raw: string): number {
  const s = raw.trim()
  if (/^\d{9,13}$/.test(s)) return s.length <= 10 ? Number(s) * 1000 : Number(s)
  if (!ISO_LIKE.test(s)) return NaN
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(s)
  return Date.parse(hasZone || s.length === 10 ? s : `${s}Z`)
}

function splitIds(raw: string | undefined): string[] {
  if (!raw) return []
  return raw
    .split("|")
    .map((x) => x.trim())
    .filter((x) => x.length > 0)
}

/**
 * Parses the whole file's text. `source` names the file in error messages.
 * Products seen in several rows get the union of their categories and tags.
 */
export function parseInterestEventsCsv(text: string, source = "events CSV"): ParsedEvents {
  const lines = text.split(/\r?\n/)
  let headerLine = 0
  while (headerLine < lines.length && lines[headerLine].trim() === "") headerLine++
  if (headerLine >= lines.length) throw new Error(`${source} is empty: expected a header line ${REQUIRED_COLUMNS.join(",")}.`)
  const header = splitCsvLine(lines[headerLine].replace(/^\uFEFF/, "")).map((h) => h.trim().toLowerCase())
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c))
  if (missing.length > 0) {
    throw new Error(
      `${source} line ${headerLine + 1}: missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ` +
        `(the header must contain ${REQUIRED_COLUMNS.join(",")}).`
    )
  }
  const col = (name: string): number => header.indexOf(name)
  const iCustomer = col("customer_id")
  const iProduct = col("product_id")
  const iType = col("type")
  const iTime = col("timestamp")
  const iCats = col("category_ids")
  const iQty = col("quantity")
  const iChannel = col("channel_id")
  const iCollection = col("collection_id")
  const iTags = col("tag_ids")
  const iProductType = col("type_id")
  const iTitle = col("title")

  const events: InterestEvent[] = []
  const products = new Map<string, { cats: Set<string>; tags: Set<string>; collection?: string; type?: string; title?: string }>()
  const types = new Set<string>(EVENT_TYPES)

  for (let li = headerLine + 1; li < lines.length; li++) {
    const line = lines[li]
    if (line.trim() === "") continue
    const lineNo = li + 1
    const f = splitCsvLine(line)
    if (f.length < header.length) {
      throw new Error(`${source} line ${lineNo}: expected ${header.length} fields, found ${f.length}.`)
    }
    const customerId = f[iCustomer].trim()
    const productId = f[iProduct].trim()
    if (!customerId) throw new Error(`${source} line ${lineNo}: customer_id is empty.`)
    if (!productId) throw new Error(`${source} line ${lineNo}: product_id is empty.`)
    const type = f[iType].trim()
    if (!types.has(type)) {
      throw new Error(`${source} line ${lineNo}: unknown type "${type}" (expected one of ${EVENT_TYPES.join(", ")}).`)
    }
    const timestamp = parseTimestamp(f[iTime])
    if (!Number.isFinite(timestamp)) {
      throw new Error(`${source} line ${lineNo}: bad timestamp "${f[iTime]}" (expected ISO-8601 such as 2017-11-26T12:49:26Z).`)
    }
    const event: InterestEvent = { customerId, productId, type: type as EventType, timestamp }
    if (iQty >= 0 && f[iQty]?.trim()) {
      const q = Number(f[iQty])
      if (!Number.isFinite(q) || q <= 0) throw new Error(`${source} line ${lineNo}: bad quantity "${f[iQty]}".`)
      event.quantity = q
    }
    if (iChannel >= 0 && f[iChannel]?.trim()) event.channelId = f[iChannel].trim()
    events.push(event)

    let p = products.get(productId)
    if (!p) {
      p = { cats: new Set(), tags: new Set() }
      products.set(productId, p)
    }
    for (const c of splitIds(f[iCats])) p.cats.add(c)
    if (iTags >= 0) for (const t of splitIds(f[iTags])) p.tags.add(t)
    if (iCollection >= 0 && f[iCollection]?.trim()) p.collection = f[iCollection].trim()
    if (iProductType >= 0 && f[iProductType]?.trim()) p.type = f[iProductType].trim()
    if (iTitle >= 0 && f[iTitle]?.trim()) p.title = f[iTitle].trim()
  }
  if (events.length === 0) throw new Error(`${source} has a header but no events.`)

  const catalog: CatalogProduct[] = []
  for (const [id, p] of products) {
    const product: CatalogProduct = { id, categoryIds: [...p.cats] }
    if (p.tags.size) product.tagIds = [...p.tags]
    if (p.collection) product.collectionId = p.collection
    if (p.type) product.typeId = p.type
    if (p.title) product.title = p.title
    catalog.push(product)
  }
  return { events, catalog }
}
