import Link from "next/link"
import { notFound } from "next/navigation"

import { getCategoryByHandle, getRegion, listProductsInCategory } from "@lib/data"

type Props = { params: { countryCode: string; handle: string } }

export default async function CategoryPage({ params }: Props) {
  const region = await getRegion(params.countryCode)
  if (!region) notFound()
  const category = await getCategoryByHandle(params.handle)
  if (!category) notFound()
  const products = await listProductsInCategory(category.id, region.id)
  return (
    <div className="content-container py-8">
      <h1 className="text-large-semi mb-4">{category.name}</h1>
      <ul className="grid grid-cols-2 small:grid-cols-4 gap-x-6 gap-y-8" data-testid="category-products">
        {products.map((p) => (
          <li key={p.id} data-product-id={p.id}>
            <Link href={`/${params.countryCode}/products/${p.handle}`}>
              <div className="aspect-[4/3] rounded-lg bg-ui-bg-subtle" />
              <p className="text-base-regular mt-2">{p.title}</p>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  )
}
