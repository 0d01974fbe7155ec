import { notFound } from "next/navigation"
import { Suspense } from "react"

import { getProductByHandle, getRegion } from "@lib/data"
import InterestCarousel from "@modules/products/components/interest-carousel"
import CarouselSkeleton from "@modules/products/components/interest-carousel/skeleton"
import { TrackView } from "@modules/products/components/interest-carousel/tracking"

type Props = { params: { countryCode: string; handle: string } }

export default async function ProductPage({ params }: Props) {
  const region = await getRegion(params.countryCode)
  if (!region) notFound()
  const product = await getProductByHandle(params.handle, region.id)
  if (!product?.id) notFound()
  const amounts = (product.variants ?? []).map((v) => v.calculated_price).filter((a): a is number => typeof a === "number")
  return (
    <div className="content-container py-8">
      <TrackView productId={product.id} />
      <article data-testid="product" data-product-id={product.id} className="max-w-xl">
        <h1 className="text-large-semi">{product.title}</h1>
        {amounts.length ? (
          <p className="text-base-regular mt-1">
            {new Intl.NumberFormat("en-US", { style: "currency", currency: region.currency_code }).format(Math.min(...amounts) / 100)}
          </p>
        ) : null}
        <p className="text-base-regular text-ui-fg-subtle mt-4">{product.description}</p>
      </article>
      <Suspense fallback={<CarouselSkeleton />}>
        <InterestCarousel placement="related" title="You might also like" region={region} productId={product.id} />
      </Suspense>
      <Suspense fallback={<CarouselSkeleton />}>
        <InterestCarousel placement="recently_viewed" title="Recently viewed" region={region} productId={product.id} />
      </Suspense>
    </div>
  )
}
