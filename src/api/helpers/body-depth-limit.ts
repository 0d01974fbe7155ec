import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewareRoute } from "@medusajs/medusa"

/**
 * The deepest nesting of arrays and objects a request body may have. The
 * plugin's own bodies nest at most 3 deep (`{ events: [{ … }] }`).
 * `JSON.parse` itself reads any depth (V8's parser does not recurse), but
 * class-transformer and class-validator do: 20,000 nested arrays overflowed the
 * stack in them (a 500, or a 400 that quoted "Maximum call stack size
 * exceeded").
 */
export const MAX_BODY_DEPTH = 16

/**
 * How deeply arrays and objects nest in a parsed body: 0 for a scalar, 1 for
 * `{}` or `[]`, 2 for `[[]]`. Walks with its own stack, so no depth can
 * exhaust the call stack, and stops as soon as `limit` is passed (the value
 * returned is then `limit + 1`), so a huge body costs no more than its first
 * too-deep branch. Parsed JSON and query strings are trees; a cycle counts as
 * too deep.
 */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0
  const values: unknown[] = [value]
  const depths: number[] = [1]
  while (values.length) {
    const v = values.pop()
    const depth = depths.pop() as number
    if (v === null || typeof v !== "object") continue
    if (depth > limit) return limit + 1
    if (depth > deepest) deepest = depth
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (child !== null && typeof child === "object") {
        values.push(child)
        depths.push(depth + 1)
      }
    }
  }
  return deepest
}

/**
 * Answers 400 when the parsed body nests deeper than MAX_BODY_DEPTH, before
 * any validation reads it.
 */
export function limitBodyDepth(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): void {
  if (nestingDepth(req.body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) {
    res.status(400).json({ type: "invalid_data", message: `The request body is nested too deeply (limit ${MAX_BODY_DEPTH}).` })
    return
  }
  next()
}

/** Every method Medusa registers a body parser for on a file route. */
const METHODS: MiddlewareRoute["method"] = ["GET", "POST", "PUT", "PATCH", "DELETE"]

/**
 * The depth limit on every route of the plugin (src/api). Medusa picks each
 * route's body parser from the first entry whose matcher fits it: these
 * entries name no bodyParser, so they go after the entries that set one, or a
 * route they match would fall back to the default parser and its limit.
 */
export const BODY_DEPTH_ROUTES: MiddlewareRoute[] = [
  "/store/interest/*",
  "/store/recommendations",
  "/store/customers/me/interests",
  "/admin/interest/*",
  "/interest-demo",
  "/interest-demo/*",
].map((matcher) => ({ matcher, method: METHODS, middlewares: [limitBodyDepth] }))
