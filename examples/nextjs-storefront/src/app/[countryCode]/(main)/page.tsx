import { notFound } from "next/navigation"
import { Suspense } from "react"

import { getRegion } from "@lib/data"
import InterestCarousel from "@modules/products/components/interest-carousel"
import CarouselSkeleton from "@modules/products/components/interest-carousel/skeleton"

export default async function Home({ params }: { params: { countryCode: string } }) {
  const region = await getRegion(params.countryCode)
  if (!region) notFound()
  return (
    <div className="content-container py-8" data-testid="home">
      <h1 className="text-large-semi">Welcome</h1>
      <p className="text-base-regular text-ui-fg-subtle">Picked for you from what you browse, and what sells right now.</p>
      <Suspense fallback={<CarouselSkeleton />}>
        <InterestCarousel placement="for_you" title="For you" region={region} />
      </Suspense>
      <Suspense fallback={<CarouselSkeleton />}>
        <InterestCarousel placement="trending" title="Trending" region={region} />
      </Suspense>
    </div>
  )
}
