import { Region } from "@medusajs/medusa"
import { Placement, RecommendedProduct } from "medusa-plugin-interest/client"

import { getInterestList } from "@lib/data/interest"
import { RecommendationLink } from "./tracking"

type Props = {
  placement: Placement
  title: string
  region: Region
  /** The product the page shows: `related` needs it, and no list shows it. */
  productId?: string
  limit?: number
}

/**
 * A carousel of medusa-plugin-interest, rendered on the server for the shopper
 * of the request (their JWT and visitor id cookies), each product with the
 * reason it was picked. Renders nothing when the list is empty.
 */
export default async function InterestCarousel({ placement, title, region, productId, limit = 8 }: Props) {
  const list = await getInterestList({
    placement,
    productId,
    regionId: region.id,
    limit,
    exclude: productId ? [productId] : undefined,
  })
  if (!list?.products.length) return null
  return (
    <section className="py-8" data-placement={placement} data-recommendation-id={list.recommendation_id}>
      <h2 className="text-large-semi mb-4">{title}</h2>
      <ul className="grid grid-cols-2 small:grid-cols-4 gap-x-6 gap-y-8">
        {list.products.map((p) => (
          <li key={p.id} data-product-id={p.id}>
            <RecommendationLink productId={p.id} recommendationId={list.recommendation_id} href={`/products/${p.handle}`}>
              <div className="aspect-[4/3] rounded-lg bg-ui-bg-subtle overflow-hidden">
                {p.thumbnail ? <img src={p.thumbnail} alt="" className="h-full w-full object-cover" /> : null}
              </div>
              <p className="text-base-regular mt-2">{p.title}</p>
              <p className="text-small-regular text-ui-fg-base">{price(p, region)}</p>
              <p className="text-small-regular text-ui-fg-subtle">{p.reason}</p>
            </RecommendationLink>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** The cheapest variant's price in the region, as the route priced it. */
function price(product: RecommendedProduct, region: Region): string {
  const amounts = (product.variants ?? [])
    .map((v) => v.calculated_price)
    .filter((a): a is number => typeof a === "number")
  if (!amounts.length) return ""
  return new Intl.NumberFormat("en-US", { style: "currency", currency: region.currency_code }).format(Math.min(...amounts) / 100)
}
