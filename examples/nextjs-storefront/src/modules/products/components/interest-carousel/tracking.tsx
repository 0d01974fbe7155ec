"use client"

import { ReactNode, useEffect } from "react"
import { cookieStorage, createInterestClient } from "medusa-plugin-interest/client"
import LocalizedClientLink from "@modules/common/components/localized-client-link"

// One client per tab. Its visitor id lives in a cookie, so the server components
// that render the carousels read the lists of the same visitor; events go out
// at once, so the next page's lists already know them.
export const interest = createInterestClient({
  baseUrl: process.env.NEXT_PUBLIC_MEDUSA_BACKEND_URL || "http://localhost:9000",
  publishableKey: process.env.NEXT_PUBLIC_MEDUSA_PUBLISHABLE_KEY || undefined,
  storage: cookieStorage(),
  flushIntervalMs: 0,
})

/** Records that the shopper viewed a product (render it on the product page). */
export function TrackView({ productId }: { productId: string }) {
  useEffect(() => void interest.track({ type: "view", product_id: productId }), [productId])
  return null
}

/** A link to a recommended product whose click credits the list it was shown in. */
export function RecommendationLink({
  productId,
  recommendationId,
  href,
  className,
  children,
}: {
  productId: string
  recommendationId: string
  href: string
  className?: string
  children: ReactNode
}) {
  return (
    <LocalizedClientLink
      href={href}
      className={className}
      onClick={() => interest.track({ type: "click", product_id: productId, recommendation_id: recommendationId })}
    >
      {children}
    </LocalizedClientLink>
  )
}
