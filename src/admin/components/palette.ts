// Chart colours: distinct hues that stay readable on the admin's light and
// dark backgrounds. Index with `colorAt(i)` so any number of series works.
const PALETTE = ["#6366f1", "#10b981", "#f59e0b", "#ef4444", "#0ea5e9", "#a855f7", "#84cc16", "#ec4899", "#14b8a6", "#f97316"]

export const colorAt = (i: number): string => PALETTE[((i % PALETTE.length) + PALETTE.length) % PALETTE.length]
