"use server"

import { redirect } from "next/navigation"

import { getToken, signOut } from "@lib/data"
import { identifyVisitor } from "@lib/data/interest"

/** The login form's action: the JWT goes into the httpOnly cookie, then the visitor is identified. */
export async function logCustomerIn(formData: FormData): Promise<void> {
  const countryCode = String(formData.get("countryCode") ?? "")
  let token: string
  try {
    token = await getToken(String(formData.get("email") ?? ""), String(formData.get("password") ?? ""))
  } catch {
    redirect(`/${countryCode}/account?error=login`)
  }
  await identifyVisitor(token)
  redirect(`/${countryCode}/account`)
}

export async function logCustomerOut(formData: FormData): Promise<void> {
  signOut()
  redirect(`/${String(formData.get("countryCode") ?? "")}/account`)
}
