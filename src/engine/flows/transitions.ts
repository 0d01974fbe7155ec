/**
 * Category-to-category transitions between a customer's consecutive active
 * periods, with the evidence behind each cell. The probability is the engine's
 * first-order Markov estimate (baselines/markov.ts, every shopper weighted 1):
 *   P(b | a) = sum_(u,t) p_u,t(a) * p_u,t+1(b) / sum_(u,t) p_u,t(a)
 * over every pair of consecutive active periods (t, t+1) of every customer u, with
 * p the period profile as a distribution. Beside it, how many customers and how
 * many period pairs made the move: a probability of 0.6 from three customers is
 * an anecdote, and the view says so.
 */
import { assertPositiveInteger, getDefinedOptions } from "../util/options"
import { SparseVector, normalizeL1 } from "../util/vectors"
import { ActivePeriod } from "./periods"

export interface TransitionOptions {
  /** Categories in the matrix: the most interest over the window. @defaultValue 20 */
  top: number
  /**
   * Fewest customers behind a cell (or a row) for it to mean anything: fewer are
   * reported, marked `sparse`, and the admin greys them out. Five is where one
   * unusual customer stops deciding a cell. @defaultValue 5
   */
  minCustomers: number
}

export const DEFAULT_TRANSITION_OPTIONS: TransitionOptions = { top: 20, minCustomers: 5 }

export interface TransitionCell {
  /** P(next period has this column's category | this period has the row's). */
  probability: number
  /** Customers who moved from the row's category to the column's at least once. */
  customers: number
  /** Pairs of consecutive periods (over all customers) with that move. */
  transitions: number
  /** Fewer than `minCustomers` customers: too small to read anything into. */
  sparse: boolean
}

export interface TransitionRow {
  category: number
  /** Customers with the row's category in a period followed by another active one. */
  customers: number
  transitions: number
  sparse: boolean
  /** One cell per matrix category, in `categories` order. */
  cells: TransitionCell[]
  /** Probability of moving to a category outside the matrix. */
  other: number
}

export interface TransitionMatrix {
  /** Category indices of the rows and columns, most interest first. */
  categories: number[]
  rows: TransitionRow[]
  minCustomers: number
}

/** Categories by the interest they hold over all the given periods (each period as a distribution). */
function byInterest(sequences: readonly ActivePeriod[][]): number[] {
  const total = new Map<number, number>()
  for (const seq of sequences) {
    for (const p of seq) for (const [c, x] of normalizeL1(p.vector)) total.set(c, (total.get(c) ?? 0) + x)
  }
  return [...total.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c]) => c)
}

/**
 * @param sequences - per customer, their active periods oldest first (periods.ts regroupPeriods)
 */
export function transitionMatrix(sequences: readonly ActivePeriod[][], options: Partial<TransitionOptions> = {}): TransitionMatrix {
  const o = getDefinedOptions(DEFAULT_TRANSITION_OPTIONS, options)
  assertPositiveInteger(o.top, "top")
  assertPositiveInteger(o.minCustomers, "minCustomers")
  const categories = byInterest(sequences).slice(0, o.top)
  const k = categories.length
  const slot = new Map(categories.map((c, i) => [c, i]))
  const mass = new Float64Array(k * k)
  const rowMass = new Float64Array(k)
  const pairs = new Int32Array(k * k)
  const rowPairs = new Int32Array(k)
  const cellCustomers = new Int32Array(k * k)
  const rowCustomers = new Int32Array(k)
  const seenCells = new Set<number>()
  const seenRows = new Set<number>()
  for (const seq of sequences) {
    seenCells.clear()
    seenRows.clear()
    let from: SparseVector = normalizeL1(seq[0]?.vector ?? new Map())
    for (let t = 0; t + 1 < seq.length; t++) {
      const to = normalizeL1(seq[t + 1].vector)
      // A pair with an empty side carries no mass in the estimate: skip it alike.
      if (from.size && to.size) {
        for (const [a, pa] of from) {
          const i = slot.get(a)
          if (i === undefined) continue
          // Every destination counts towards the row's total, in the matrix or not.
          rowMass[i] += pa
          rowPairs[i]++
          seenRows.add(i)
          for (const [b, pb] of to) {
            const j = slot.get(b)
            if (j === undefined) continue
            mass[i * k + j] += pa * pb
            pairs[i * k + j]++
            seenCells.add(i * k + j)
          }
        }
      }
      from = to
    }
    for (const cell of seenCells) cellCustomers[cell]++
    for (const row of seenRows) rowCustomers[row]++
  }
  const rows: TransitionRow[] = categories.map((category, i) => {
    const cells = categories.map((_, j) => ({
      probability: rowMass[i] > 0 ? mass[i * k + j] / rowMass[i] : 0,
      customers: cellCustomers[i * k + j],
      transitions: pairs[i * k + j],
      sparse: cellCustomers[i * k + j] < o.minCustomers,
    }))
    const inside = cells.reduce((s, c) => s + c.probability, 0)
    return {
      category,
      customers: rowCustomers[i],
      transitions: rowPairs[i],
      sparse: rowCustomers[i] < o.minCustomers,
      cells,
      other: rowMass[i] > 0 ? Math.max(0, 1 - inside) : 0,
    }
  })
  return { categories, rows, minCustomers: o.minCustomers }
}
