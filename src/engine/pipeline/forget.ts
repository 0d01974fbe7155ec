/**
 * Erasure inside trained artifacts: a model keeps every customer it was trained on
 * by index (their state, segment, LSTM fold and prediction, membership samples of
 * their segment). `forgetCustomers` removes customers from all of those and
 * renumbers the rest, so the result is still valid artifacts (`loadArtifacts`
 * accepts it) in which the forgotten customers are unknown: `recommend` serves them
 * as a new shopper and nothing in the JSON names them any more.
 *
 * What stays are the aggregates they contributed to (popularity, co-occurrence,
 * Markov transitions, centroids, the ranker's weights): none of them is keyed by
 * a customer, and they are rebuilt without the customer at the next training.
 */
import { TrainedArtifacts } from "./artifacts"

export interface ForgetResult {
  artifacts: TrainedArtifacts
  /** How many of the given ids the artifacts held (and no longer hold). */
  removed: number
}

/**
 * @param a - trained artifacts (not changed)
 * @param ids - customer ids (visitor subjects included, as the artifacts spell them)
 * @return artifacts without those customers, and how many were removed
 */
export function forgetCustomers(a: TrainedArtifacts, ids: Iterable<string>): ForgetResult {
  const forget = new Set(ids)
  const n = a.customers.ids.length
  // Old index -> new index, or -1 for a forgotten customer.
  const renumber = new Int32Array(n)
  let next = 0
  for (let i = 0; i < n; i++) renumber[i] = forget.has(a.customers.ids[i]) ? -1 : next++
  const removed = n - next
  if (removed === 0) return { artifacts: a, removed: 0 }

  const kept = <T>(list: T[]): T[] => list.filter((_, i) => i < n && renumber[i] >= 0)
  // A segment's size is its member count: the forgotten leave it.
  const leaving = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    if (renumber[i] < 0) {
      const s = a.customers.states[i].segment
      leaving.set(s, (leaving.get(s) ?? 0) + 1)
    }
  }
  const remap = (indices: number[]): number[] => indices.filter((c) => renumber[c] >= 0).map((c) => renumber[c])
  return {
    removed,
    artifacts: {
      ...a,
      customers: { ids: kept(a.customers.ids), states: kept(a.customers.states) },
      segments: {
        ...a.segments,
        list: a.segments.list.map((s, k) => (leaving.has(k) ? { ...s, size: Math.max(0, s.size - (leaving.get(k) as number)) } : s)),
        members: a.segments.members.map(remap),
      },
      sequence: a.sequence ? { ...a.sequence, foldOf: kept(a.sequence.foldOf) } : null,
      predictions: a.predictions.filter(([c]) => renumber[c] >= 0).map(([c, v]) => [renumber[c], v]),
    },
  }
}
