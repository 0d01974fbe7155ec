/**
 * Small seeded data sets for the sequence model tests.
 */
import type { SequenceSample } from "../contract"
import { SeededRandom } from "../../util/random"

export const SYMBOLS = ["A", "B", "C", "D", "E", "F"] as const
export type Sym = (typeof SYMBOLS)[number]
const index = (s: Sym): number => SYMBOLS.indexOf(s)

export function oneHot(s: Sym): number[] {
  const v = new Array(SYMBOLS.length).fill(0)
  v[index(s)] = 1
  return v
}

export interface SymbolWindow {
  window: Sym[]
  next: Sym
}

/**
 * A second-order process over six symbols, as windows of 4 symbols and the next one.
 * Half the windows end in B: after A,B comes C and after D,B comes E, so the step
 * after B depends on the symbol two back — invisible to a first-order Markov chain,
 * whose best guess after B is right about half the time. The other windows end in a
 * non-B symbol and follow a first-order rule (A→B, D→B, C→F, E→F, F→A).
 */
export function secondOrderWindows(n: number, seed: number): SymbolWindow[] {
  const random = new SeededRandom(seed)
  const noise: Sym[] = ["C", "E", "F"]
  const firstOrder: Record<string, Sym> = { A: "B", D: "B", C: "F", E: "F", F: "A" }
  const out: SymbolWindow[] = []
  for (let i = 0; i < n; i++) {
    if (random.next() < 0.5) {
      const x = random.pick(["A", "D"] as Sym[])
      out.push({ window: [random.pick(noise), random.pick(noise), x, "B"], next: x === "A" ? "C" : "E" })
    } else {
      const last = random.pick(["A", "C", "D", "E", "F"] as Sym[])
      out.push({ window: [random.pick(noise), random.pick(noise), random.pick(noise), last], next: firstOrder[last] })
    }
  }
  return out
}

export function toSamples(windows: SymbolWindow[]): SequenceSample[] {
  return windows.map((w) => ({ steps: w.window.map(oneHot), target: oneHot(w.next) }))
}

/** Random one-hot-ish windows with random soft targets: nothing to learn beyond the marginal. */
export function noiseSamples(n: number, lookback: number, featureDim: number, outputDim: number, seed: number): SequenceSample[] {
  const random = new SeededRandom(seed)
  return Array.from({ length: n }, () => {
    const steps = Array.from({ length: lookback }, () =>
      Array.from({ length: featureDim }, () => (random.next() < 0.3 ? 1 : 0))
    )
    const raw = Array.from({ length: outputDim }, () => random.next())
    const total = raw.reduce((a, b) => a + b, 0)
    return { steps, target: raw.map((v) => v / total) }
  })
}

/** Weighted mean cross-entropy, as the model's loss: Σ w·CE / Σ w·mass. */
export function crossEntropy(targets: number[][], probs: number[][]): number {
  let num = 0
  let den = 0
  targets.forEach((t, i) => {
    t.forEach((y, k) => {
      num -= y * Math.log(Math.min(1, Math.max(1e-7, probs[i][k])))
      den += y
    })
  })
  return num / den
}

export function argmax(v: number[]): number {
  let best = 0
  for (let i = 1; i < v.length; i++) {
    if (v[i] > v[best]) {
      best = i
    }
  }
  return best
}
