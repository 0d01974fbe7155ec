"use client"

import Link from "next/link"
import { useParams } from "next/navigation"
import React from "react"

/** A Next.js link that keeps the `[countryCode]` of the current URL. */
export default function LocalizedClientLink({
  href,
  children,
  ...props
}: Omit<React.ComponentProps<typeof Link>, "href"> & { href: string }) {
  const { countryCode } = useParams<{ countryCode: string }>()
  return (
    <Link href={`/${countryCode}${href}`} {...props}>
      {children}
    </Link>
  )
}
