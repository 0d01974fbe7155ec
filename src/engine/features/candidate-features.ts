/**
 * Candidate-slot features for the sequence model ("pointer" form).
 *
 * Instead of predicting a distribution over a global top-N interest space (which on
 * a catalogue with thousands of categories is mostly "other"), the LSTM scores each
 * customer's OWN candidate categories: the categories of their recent periods, the
 * Markov successors of their last period and their segment's top interests, at most
 * `slots` of them, ordered by a prior score. A sample is one (customer, cut-off); its
 * steps are the customer's last `lookback` active periods, and each step holds, slot by
 * slot, that period seen from the slot's candidate (empty slots are zero):
 *
 * (weights scaled to max 1 within the period / profile / prior)
 *   [ weight of the candidate in the period | present (0/1) | Markov score for the
 *     candidate from the previous period | log(1 + periods before the cut-off) / 3
 *   | log(1 + gap to the previous period) / 3 | log(1 + events) / 5
 *   | segment prior | global popularity (max 1) | decayed-profile share | slot rank ]
 *
 * The target is the next active period over the slots (1 for each candidate that
 * occurs, normalised to a distribution; cut-offs where none occurs are skipped), so
 * the head's softmax over `slots` outputs is a pointer-style ranking of the
 * customer's own candidates. (A per-slot sigmoid with one LSTM shared across slots
 * was tried too: it ranked worse on the validation periods, see docs/evaluate.md.)
 * The model can learn drift (a category rising or fading over the last periods)
 * that the decayed profile, a fixed weighted sum, cannot express.
 */
import { MarkovChain, markovPredict } from "../baselines/markov"
import { PeriodProfile, decayedProfile } from "../profiles/period-profiles"
import { LOG_SCALE, chooseCutoffs } from "./sequence-features"
import { SparseVector } from "../util/vectors"

export const CANDIDATE_FEATURES = 10

/** The decayed profile behind the candidates reads this many windows (of `lookback` periods) back. */
const HISTORY_WINDOWS = 4
/** How the candidate prior mixes its sources, each scaled to max 1 first. */
const PRIOR_WEIGHTS = { profile: 1, lastPeriod: 0.5, markov: 0.5, segment: 0.25 } as const
/** Period distances are log-scaled by this (e^3 is about 20 periods). */
const LOG_PERIODS_SCALE = 3

export interface CandidateContext {
  markov: MarkovChain
  /** Category popularity, any scale (normalised to max 1 here). */
  popularity: ArrayLike<number>
  slots: number
  lookback: number
  halfLife: number
}

export interface CandidateSource {
  periods: PeriodProfile[]
  /** The segment's interest distribution (empty when none). */
  segment: SparseVector
}

function maxOf(v: Iterable<number>): number {
  let m = 0
  for (const x of v) if (x > m) m = x
  return m
}

/** Scaled to max 1: features compare a candidate with the customer's top interest, whatever the catalogue's size. */
function maxNormalized(v: SparseVector): SparseVector {
  const m = maxOf(v.values())
  const out: SparseVector = new Map()
  if (m > 0) for (const [k, x] of v) out.set(k, x / m)
  return out
}

/** Candidate categories for the period after `periods[last]`, best prior first. */
export function candidatesFor(ctx: CandidateContext, src: CandidateSource, last: number): number[] {
  const hist = src.periods.slice(Math.max(0, last + 1 - ctx.lookback * HISTORY_WINDOWS), last + 1)
  const profile = decayedProfile(hist, src.periods[last].period, ctx.halfLife)
  const markov = markovPredict(ctx.markov, src.periods[last].vector)
  const score = new Map<number, number>()
  const add = (v: SparseVector, w: number): void => {
    const m = maxOf(v.values())
    if (m > 0) for (const [k, x] of v) score.set(k, (score.get(k) ?? 0) + (w * x) / m)
  }
  add(profile, PRIOR_WEIGHTS.profile)
  add(src.periods[last].vector, PRIOR_WEIGHTS.lastPeriod)
  add(markov, PRIOR_WEIGHTS.markov)
  add(src.segment, PRIOR_WEIGHTS.segment)
  return [...score.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, ctx.slots)
    .map((e) => e[0])
}

/** Per-candidate windows ([slot][lookback][CANDIDATE_FEATURES]) for a cut-off after `periods[last]`. */
export function candidateWindows(ctx: CandidateContext, src: CandidateSource, last: number, candidates: number[]): number[][][] {
  const periods = src.periods
  const end = periods[last].period
  let popMax = 0
  for (let i = 0; i < ctx.popularity.length; i++) if (ctx.popularity[i] > popMax) popMax = ctx.popularity[i]
  const profile = maxNormalized(decayedProfile(periods.slice(Math.max(0, last + 1 - ctx.lookback * HISTORY_WINDOWS), last + 1), end, ctx.halfLife))
  const seg = maxNormalized(src.segment)
  // Per step: the period's distribution and the Markov prediction from the step before.
  const steps: { share: SparseVector; markov: SparseVector; ago: number; gap: number; events: number }[] = []
  for (let t = last - ctx.lookback + 1; t <= last; t++) {
    if (t < 0) continue
    const p = periods[t]
    steps.push({
      share: maxNormalized(p.vector),
      markov: t > 0 ? maxNormalized(markovPredict(ctx.markov, periods[t - 1].vector)) : new Map(),
      ago: Math.log1p(end - p.period) / LOG_PERIODS_SCALE,
      gap: t > 0 ? Math.log1p(p.period - periods[t - 1].period) / LOG_PERIODS_SCALE : 0,
      events: Math.log1p(p.events) / LOG_SCALE,
    })
  }
  const pad = ctx.lookback - steps.length
  return candidates.map((c, slot) => {
    const constant = [
      seg.get(c) ?? 0,
      popMax > 0 ? ctx.popularity[c] / popMax : 0,
      profile.get(c) ?? 0,
      slot / Math.max(1, ctx.slots - 1),
    ]
    const rows: number[][] = []
    for (let i = 0; i < pad; i++) rows.push(new Array(CANDIDATE_FEATURES).fill(0))
    for (const s of steps) {
      const share = s.share.get(c) ?? 0
      rows.push([share, share > 0 ? 1 : 0, s.markov.get(c) ?? 0, s.ago, s.gap, s.events, ...constant])
    }
    return rows
  })
}

export interface CandidateSample {
  steps: number[][]
  target: number[]
  targetPeriod: number
}

/**
 * Listwise form: all slots of one cut-off in one sample, slot features side by side
 * ([lookback][slots * CANDIDATE_FEATURES], empty slots zero), so the head's softmax
 * over `slots` outputs ranks a customer's candidates against each other.
 */
export function listwiseSteps(windows: number[][][], slots: number, lookback: number): number[][] {
  const rows: number[][] = []
  for (let t = 0; t < lookback; t++) {
    const row = new Array(slots * CANDIDATE_FEATURES).fill(0)
    windows.forEach((w, j) => {
      for (let f = 0; f < CANDIDATE_FEATURES; f++) row[j * CANDIDATE_FEATURES + f] = w[t][f]
    })
    rows.push(row)
  }
  return rows
}

/** Listwise training samples: target = the next period's weight over the slots (a distribution). */
export function buildListwiseSamples(
  ctx: CandidateContext,
  sources: CandidateSource[],
  maxCutoffs: number,
  seed: number
): CandidateSample[] {
  const chosen = chooseCutoffs(sources, maxCutoffs, seed)
  const out: CandidateSample[] = []
  for (const [i, t] of chosen) {
    const s = sources[i]
    const target = s.periods[t].vector
    if (target.size === 0) continue
    const cands = candidatesFor(ctx, s, t - 1)
    const y = new Array(ctx.slots).fill(0)
    let mass = 0
    cands.forEach((c, j) => {
      if ((target.get(c) ?? 0) > 0) {
        y[j] = 1
        mass++
      }
    })
    if (mass === 0) continue
    out.push({
      steps: listwiseSteps(candidateWindows(ctx, s, t - 1, cands), ctx.slots, ctx.lookback),
      target: y.map((x) => x / mass),
      targetPeriod: s.periods[t].period,
    })
  }
  return out
}
