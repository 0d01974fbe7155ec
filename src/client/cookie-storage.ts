import { KeyValueStorage } from "./types"

export interface CookieStorageOptions {
  /** How long the cookie lives. @defaultValue 31536000 (a year) */
  maxAgeSeconds?: number
  /** @defaultValue "/" */
  path?: string
}

/** The parts of `document` and `location` this storage touches. */
interface CookieJar {
  document?: { cookie: string }
  location?: { protocol?: string }
}

/**
 * A storage for the visitor id in a first-party cookie instead of
 * `localStorage`, for storefronts that render lists on their server (the
 * Next.js starter's server components): the server reads the same visitor id
 * from the request's cookies. The cookie is not httpOnly (this client reads
 * it), is `SameSite=Lax`, and `Secure` on https pages. Outside a browser
 * (server rendering of a client component) it holds nothing, and the client
 * then keeps its id in memory.
 */
export function cookieStorage(options: CookieStorageOptions = {}, jar: CookieJar = globalThis as CookieJar): KeyValueStorage {
  const maxAge = Math.max(0, Math.floor(options.maxAgeSeconds ?? 31_536_000))
  const path = options.path ?? "/"
  return {
    getItem(key) {
      if (!jar.document) return null
      for (const pair of jar.document.cookie.split(";")) {
        const at = pair.indexOf("=")
        if (at > 0 && pair.slice(0, at).trim() === key) return safeDecode(pair.slice(at + 1).trim())
      }
      return null
    },
    setItem(key, value) {
      if (!jar.document) return
      const secure = jar.location?.protocol === "https:" ? "; Secure" : ""
      jar.document.cookie = `${key}=${encodeURIComponent(value)}; Path=${path}; Max-Age=${maxAge}; SameSite=Lax${secure}`
    },
  }
}

function safeDecode(value: string): string | null {
  try {
    return decodeURIComponent(value)
  } catch {
    return null
  }
}
