/** Stands in for a carousel while its list is fetched (the page streams around it). */
export default function CarouselSkeleton() {
  return (
    <div className="py-8" aria-hidden data-carousel-skeleton>
      <div className="h-6 w-40 rounded bg-ui-bg-subtle mb-4" />
      <div className="grid grid-cols-2 small:grid-cols-4 gap-x-6">
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className="aspect-[4/3] rounded-lg bg-ui-bg-subtle" />
        ))}
      </div>
    </div>
  )
}
