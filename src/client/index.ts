/**
 * The storefront client of medusa-plugin-interest, imported as
 * `medusa-plugin-interest/client` (the React hook is `medusa-plugin-interest/client/react`).
 */
export { createInterestClient } from "./client"
export type { InterestClient } from "./client"
export { InterestClientError } from "./errors"
export { VISITOR_HEADER, VISITOR_STORAGE_KEY } from "./visitor-id"
export * from "./types"
