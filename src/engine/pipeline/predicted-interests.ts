import type { LoadedModel } from "./"

export interface PredictedInterest {
  id: string
  name: string
  weight: number
}

export interface PredictedInterests {
  /** "lstm" when the sequence model predicted next period, "profile" when it fell back to the decayed profile. */
  source: "lstm" | "profile"
  interests: PredictedInterest[]
}

/**
 * Next period's interests of a customer: the LSTM's prediction (its scores over
 * the customer's candidate categories, or over its kept interests with "other"
 * left out for the older space model) when the model has one, else the customer's
 * decayed, IDF-damped profile. Null for a customer the model does not know.
 */
export function predictedInterests(
  model: LoadedModel,
  customerId: string,
  names: Map<string, string>,
  top = 8
): PredictedInterests | null {
  const stage = model.stage
  const index = stage.customerIndex.get(customerId)
  if (index === undefined) return null
  const named = (pairs: [number, number][]): PredictedInterest[] => {
    const total = pairs.reduce((s, [, w]) => s + w, 0) || 1
    return pairs
      .filter(([, w]) => w > 0)
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([c, w]) => {
        const id = stage.categoryIds[c]
        return { id, name: names.get(id) ?? id, weight: Math.round((w / total) * 1e4) / 1e4 }
      })
  }
  const candidates = model.candidateScores?.get(index)
  if (candidates && candidates.size) {
    return { source: "lstm", interests: named([...candidates.entries()]) }
  }
  const prediction = model.predictions.get(index)
  const space = model.artifacts.sequence?.space
  if (prediction && space) {
    return { source: "lstm", interests: named(space.top.map((c, d) => [c, prediction[d]])) }
  }
  return { source: "profile", interests: named([...stage.customers[index].damped.entries()]) }
}
