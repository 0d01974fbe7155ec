import type { WidgetConfig } from "@medusajs/admin"
import { useAdminCustomQuery } from "medusa-react"

type OnboardingResponse = { status: { current_step: string | null; is_complete: boolean } }

/** The shop's own admin extension, built into the same dashboard as the plugins' ones. */
const GettingStarted = () => {
  const { data } = useAdminCustomQuery<Record<string, never>, OnboardingResponse>("/onboarding", ["onboarding"])
  if (!data || data.status.is_complete) return null
  return <div className="bg-ui-bg-base rounded-lg border p-4 text-sm">Getting started: {data.status.current_step ?? "add your first product"}</div>
}

export const config: WidgetConfig = { zone: "product.list.before" }

export default GettingStarted
