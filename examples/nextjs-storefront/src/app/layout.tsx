import { Metadata } from "next"
import { ReactNode } from "react"

import "./globals.css"

export const metadata: Metadata = {
  title: "Interest storefront",
  description: "A Next.js storefront with medusa-plugin-interest's carousels.",
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="bg-white text-ui-fg-base antialiased">{children}</body>
    </html>
  )
}
