/**
 * React binding of the storefront client, imported as
 * `medusa-plugin-interest/client/react`. React is an optional peer dependency:
 * only this file needs it.
 */
import { useCallback, useEffect, useRef, useState } from "react"
import type { InterestClient } from "./client"
import type { RecommendationParams, RecommendationsResponse, RecommendedProduct } from "./types"

export interface UseRecommendationsResult {
  products: RecommendedProduct[]
  /** The whole answer (recommendation id, segment, cold start flag), once loaded. */
  data: RecommendationsResponse | null
  /** The experiment and arm that chose the list, to pass on with clicks (each product carries them too). */
  experiment: { id: string; arm: string } | null
  loading: boolean
  error: Error | null
  /** Fetches the list again, e.g. after `client.track()` and `client.flush()`. */
  reload: () => void
}

/**
 * A carousel's products for the current shopper. Refetches when `params`
 * change in value (not identity, so an inline object literal is fine); an
 * answer that arrives after newer params were asked for is dropped.
 * Pass `enabled: false` to wait (e.g. for a product id).
 */
export function useRecommendations(
  client: InterestClient,
  params: RecommendationParams & { enabled?: boolean } = {}
): UseRecommendationsResult {
  const { enabled = true, ...query } = params
  const key = JSON.stringify(query)
  const [data, setData] = useState<RecommendationsResponse | null>(null)
  const [error, setError] = useState<Error | null>(null)
  const [loading, setLoading] = useState<boolean>(enabled)
  const [nonce, setNonce] = useState(0)
  const latest = useRef(0)

  useEffect(() => {
    if (!enabled) return undefined
    const call = ++latest.current
    let alive = true
    setLoading(true)
    client
      .getRecommendations(JSON.parse(key) as RecommendationParams)
      .then((res) => {
        if (alive && call === latest.current) {
          setData(res)
          setError(null)
        }
      })
      .catch((e: unknown) => {
        if (alive && call === latest.current) setError(e instanceof Error ? e : new Error(String(e)))
      })
      .finally(() => {
        if (alive && call === latest.current) setLoading(false)
      })
    return () => {
      alive = false
    }
  }, [client, key, enabled, nonce])

  const reload = useCallback(() => setNonce((n) => n + 1), [])
  const experiment = data?.experiment_id && data.arm ? { id: data.experiment_id, arm: data.arm } : null
  return { products: data?.products ?? [], data, experiment, loading, error, reload }
}
