import { ProductCategory, Region } from "@medusajs/medusa"
import { PricedProduct } from "@medusajs/medusa/dist/types/pricing"
import { cookies } from "next/headers"
import { cache } from "react"

import { medusaClient } from "@lib/config"

/** The starter's cookie for the customer's JWT: httpOnly, so only this server reads it. */
export const JWT_COOKIE = "_medusa_jwt"

/** Headers of a Medusa request made for the shopper of the current request. */
function shopperHeaders(): Record<string, string> {
  const token = cookies().get(JWT_COOKIE)?.value
  return token ? { authorization: `Bearer ${token}` } : {}
}

export const listRegions = cache(async function listRegions(): Promise<Region[]> {
  const { regions } = await medusaClient.regions.list()
  return regions
})

/** The region of a country code (the `[countryCode]` segment), or null. */
export const getRegion = cache(async function getRegion(countryCode: string): Promise<Region | null> {
  const regions = await listRegions()
  return regions.find((r) => r.countries.some((c) => c.iso_2 === countryCode.toLowerCase())) ?? null
})

export const listCategories = cache(async function listCategories(): Promise<ProductCategory[]> {
  const { product_categories } = await medusaClient.productCategories.list({ limit: 100 })
  return product_categories
})

export const getCategoryByHandle = cache(async function getCategoryByHandle(handle: string): Promise<ProductCategory | null> {
  const { product_categories } = await medusaClient.productCategories.list({ handle, limit: 1 })
  return product_categories[0] ?? null
})

export const listProductsInCategory = cache(async function listProductsInCategory(
  categoryId: string,
  regionId: string
): Promise<PricedProduct[]> {
  const { products } = await medusaClient.products.list(
    { category_id: [categoryId], region_id: regionId, limit: 100 },
    shopperHeaders()
  )
  return products
})

export const getProductByHandle = cache(async function getProductByHandle(
  handle: string,
  regionId: string
): Promise<PricedProduct | null> {
  const { products } = await medusaClient.products.list({ handle, region_id: regionId, limit: 1 }, shopperHeaders())
  return products[0] ?? null
})

/** The logged-in customer, or null. */
export const getCustomer = cache(async function getCustomer() {
  if (!cookies().get(JWT_COOKIE)) return null
  return medusaClient.customers
    .retrieve(shopperHeaders())
    .then(({ customer }) => customer)
    .catch(() => null)
})

/** Logs in and keeps the JWT in an httpOnly cookie, as the starter's `getToken` does. */
export async function getToken(email: string, password: string): Promise<string> {
  const { access_token } = await medusaClient.auth.getToken({ email, password }).catch(() => {
    throw new Error("Wrong email or password.")
  })
  cookies().set(JWT_COOKIE, access_token, {
    maxAge: 60 * 60 * 24 * 7,
    httpOnly: true,
    sameSite: "strict",
    secure: process.env.NODE_ENV === "production",
  })
  return access_token
}

export function signOut(): void {
  cookies().delete(JWT_COOKIE)
}
