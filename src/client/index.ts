/**
 * The storefront client of medusa-plugin-interest, imported as
 * `medusa-plugin-interest/client` (the React hook is `medusa-plugin-interest/client/react`).
 */
export { createInterestClient } from "./client"
export type { InterestClient } from "./client"
export { createServerInterestClient } from "./server"
export type { ServerInterestClient } from "./server"
export { cookieStorage } from "./cookie-storage"
export type { CookieStorageOptions } from "./cookie-storage"
export { InterestClientError } from "./errors"
export { isValidVisitorId, newVisitorId, VISITOR_HEADER, VISITOR_STORAGE_KEY } from "./visitor-id"
export * from "./types"
