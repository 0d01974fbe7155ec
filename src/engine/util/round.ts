/**
 * Rounds to 6 decimals: the precision of every stored score, share and weight,
 * far finer than any ranking needs, and it keeps the artifacts' JSON short.
 */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6
}
