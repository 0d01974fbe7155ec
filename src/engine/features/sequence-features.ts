/**
 * Features and training samples for the sequence model (the LSTM itself lives in
 * src/engine/sequence). One step = one active period of a customer:
 *   [ interests (N+1) | Markov prior for the next period (N+1) | segment prior (N+1)
 *   | log(1 + events) / LOG_SCALE | log(1 + gap in periods) / LOG_SCALE | season sin | season cos ]
 * The target is the next active period's interests (N+1), a distribution.
 * Shorter histories are left-padded with zero rows (the contract's convention).
 */
import { PeriodUnit, seasonEncoding } from "../data/periods"
import { MarkovChain, markovPredict } from "../baselines/markov"
import { PeriodProfile } from "../profiles/period-profiles"
import { SeededRandom } from "../util/random"
import { InterestSpace, project, spaceDim } from "./interest-space"

/** Log-count features are divided by this so they stay about in [0, 1] (e^5 is about 150). */
export const LOG_SCALE = 5

export interface StepContext {
  space: InterestSpace
  dimOf: Map<number, number>
  markov: MarkovChain
  unit: PeriodUnit
}

export function featureDim(space: InterestSpace): number {
  return 3 * spaceDim(space) + 4
}

function stepVector(ctx: StepContext, periods: PeriodProfile[], t: number, segmentPrior: number[]): number[] {
  const p = periods[t]
  const gap = t > 0 ? p.period - periods[t - 1].period : 0
  const [s, c] = seasonEncoding(p.period, ctx.unit)
  return [
    ...project(ctx.space, p.vector, ctx.dimOf),
    ...project(ctx.space, markovPredict(ctx.markov, p.vector), ctx.dimOf),
    ...segmentPrior,
    Math.log1p(p.events) / LOG_SCALE,
    Math.log1p(gap) / LOG_SCALE,
    s,
    c,
  ]
}

/** The window of `lookback` steps ending with period index `last` (inclusive). */
export function buildWindow(
  ctx: StepContext,
  periods: PeriodProfile[],
  last: number,
  lookback: number,
  segmentPrior: number[]
): number[][] {
  const dim = featureDim(ctx.space)
  const steps: number[][] = []
  for (let t = last - lookback + 1; t <= last; t++) {
    steps.push(t >= 0 ? stepVector(ctx, periods, t, segmentPrior) : new Array(dim).fill(0))
  }
  return steps
}

export interface SampleSource {
  periods: PeriodProfile[]
  segmentPrior: number[]
}

export interface BuiltSample {
  steps: number[][]
  target: number[]
  /** Period of the target, to pick a recent window for fine-tuning. */
  targetPeriod: number
}

/**
 * Which (customer, period) cut-offs to train on, at most `max`: every
 * customer's last two periods first, the rest drawn with the seed.
 */
export function chooseCutoffs(sources: { periods: readonly unknown[] }[], max: number, seed: number): [number, number][] {
  const recent: [number, number][] = []
  const older: [number, number][] = []
  sources.forEach((s, i) => {
    for (let t = s.periods.length - 1; t >= 1; t--) {
      if (t >= s.periods.length - 2) recent.push([i, t])
      else older.push([i, t])
    }
  })
  const rng = new SeededRandom(seed)
  if (recent.length > max) return rng.sampleIndices(recent.length, max).map((i) => recent[i])
  if (recent.length + older.length > max) {
    return recent.concat(rng.sampleIndices(older.length, max - recent.length).map((i) => older[i]))
  }
  return recent.concat(older)
}

/**
 * One sample per (customer, active period after the first). When there are more
 * than `maxSamples`, the most recent samples of each customer are preferred and
 * the rest drawn with the seed.
 */
export function buildSamples(
  ctx: StepContext,
  sources: SampleSource[],
  lookback: number,
  maxSamples: number,
  seed: number
): BuiltSample[] {
  return chooseCutoffs(sources, maxSamples, seed)
    .filter(([i, t]) => sources[i].periods[t].vector.size > 0)
    .map(([i, t]) => {
      const s = sources[i]
      return {
        steps: buildWindow(ctx, s.periods, t - 1, lookback, s.segmentPrior),
        target: project(ctx.space, s.periods[t].vector, ctx.dimOf),
        targetPeriod: s.periods[t].period,
      }
    })
}
