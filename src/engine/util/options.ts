/**
 * Options with defaults, the ml-kmeans way: callers pass a partial object, the
 * engine works on the complete one. `undefined` values do not override defaults.
 */
export function getDefinedOptions<T extends object>(defaults: T, options?: Partial<T>): T {
  const out: T = { ...defaults }
  if (!options) return out
  for (const key of Object.keys(options) as (keyof T)[]) {
    const value = options[key]
    if (value !== undefined) out[key] = value as T[keyof T]
  }
  return out
}

/** Makes a `switch` over a string union exhaustive at compile time. */
export function assertUnreachable(value: never, message: string): never {
  throw new Error(`${message}: ${String(value)}`)
}

export function assertPositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive integer, got ${value}.`)
  }
}

export function assertFraction(value: number, name: string): void {
  if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be between 0 and 1, got ${value}.`)
}
