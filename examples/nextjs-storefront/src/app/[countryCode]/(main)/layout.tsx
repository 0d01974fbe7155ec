import Link from "next/link"
import { ReactNode } from "react"

import { getCustomer, listCategories } from "@lib/data"

export default async function MainLayout({ children, params }: { children: ReactNode; params: { countryCode: string } }) {
  const [categories, customer] = await Promise.all([listCategories(), getCustomer()])
  const base = `/${params.countryCode}`
  return (
    <>
      <header className="border-b border-ui-border-base">
        <nav className="content-container flex flex-wrap items-center gap-x-6 gap-y-2 py-4">
          <Link href={base} className="text-large-semi" data-testid="home-link">
            Interest store
          </Link>
          <ul className="flex flex-wrap gap-x-4 text-small-regular text-ui-fg-subtle" data-testid="categories">
            {categories
              // The leaves: in a tree of departments, those are where products are.
              .filter((c) => !c.category_children?.length)
              .map((c) => (
                <li key={c.id}>
                  <Link href={`${base}/categories/${c.handle}`} data-category-handle={c.handle}>
                    {c.name}
                  </Link>
                </li>
              ))}
          </ul>
          <Link href={`${base}/account`} className="ml-auto text-small-regular" data-testid="account-link">
            {customer ? customer.email : "Log in"}
          </Link>
        </nav>
      </header>
      <main>{children}</main>
    </>
  )
}
