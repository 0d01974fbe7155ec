import { KeyValueStorage } from "./types"

export const VISITOR_STORAGE_KEY = "medusa_interest_visitor_id"
/** The request header that carries the visitor id (never a query parameter: URLs end up in access logs). */
export const VISITOR_HEADER = "x-interest-visitor-id"
/** What the server accepts as a visitor id (src/types/events.ts VISITOR_ID_PATTERN). */
const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

/** A random id of `length` characters from [A-Za-z0-9]; crypto-strong where available. */
export function randomId(length: number): string {
  const bytes = new Uint8Array(length)
  const crypto = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto
  if (crypto?.getRandomValues) crypto.getRandomValues(bytes)
  else for (let i = 0; i < length; i++) bytes[i] = Math.floor(Math.random() * 256)
  // 256 % 62 leaves a slight bias toward the first 8 characters; harmless for ids.
  return Array.from(bytes, (b) => ALPHABET[b % ALPHABET.length]).join("")
}

/** A new visitor id: `v_` and 22 random characters. */
export function newVisitorId(): string {
  return `v_${randomId(22)}`
}

/** Whether the server would take `id` as a visitor id. */
export function isValidVisitorId(id: unknown): id is string {
  return typeof id === "string" && VISITOR_ID_PATTERN.test(id)
}

/**
 * The environment's localStorage, if any. It may be missing (Node, workers) or
 * throw on access (disabled cookies, sandboxed iframes); writes may throw too
 * (Safari private mode), which loadVisitorId tolerates.
 */
export function defaultStorage(): KeyValueStorage | null {
  try {
    const storage = (globalThis as { localStorage?: KeyValueStorage }).localStorage
    return storage ?? null
  } catch {
    return null
  }
}

/**
 * The anonymous visitor id: the stored one when there is a valid one, else a
 * new one, stored for the next page load. Storage failures fall back to memory.
 */
export function loadVisitorId(storage: KeyValueStorage | null): string {
  if (storage) {
    try {
      const stored = storage.getItem(VISITOR_STORAGE_KEY)
      if (isValidVisitorId(stored)) return stored
    } catch {
      // unreadable storage: a memory id below
    }
  }
  const id = newVisitorId()
  if (storage) {
    try {
      storage.setItem(VISITOR_STORAGE_KEY, id)
    } catch {
      // full or read-only storage: the id lives as long as the page
    }
  }
  return id
}
