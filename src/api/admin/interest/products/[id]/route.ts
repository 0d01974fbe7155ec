import { MedusaRequest, MedusaResponse, validator } from "@medusajs/medusa"
import { Type } from "class-transformer"
import { IsInt, IsOptional, Max, Min } from "class-validator"
import InterestInsightsService from "../../../../../services/interest-insights"
import { ATTRIBUTION_WINDOW_DAYS } from "../../../../../options/plugin-options"
import InterestRecommendationService from "../../../../../services/interest-recommendation"
import { AdminDateWindowParams, dateWindow } from "../../date-window"

export class AdminGetInterestProductParams extends AdminDateWindowParams {
  /** Size of the related list. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number = 8
}

/**
 * One product for the admin: the "related" carousel the storefront would show
 * on its page (ranked by the active model exactly as the store placement is,
 * but not recorded as an impression: a merchant looking is not a shopper
 * seeing), and how recommendations of it performed per placement.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const query = await validator(AdminGetInterestProductParams, req.query)
  const { from, to } = dateWindow(query)
  const recommendations = req.scope.resolve<InterestRecommendationService>("interestRecommendationService")
  // recommend() answers 404 for an unknown or deleted product before ranking anything.
  const result = await recommendations.recommend({
    placement: "related",
    productId: req.params.id,
    customerId: null,
    visitorId: null,
    limit: query.limit ?? 8,
    exclude: [],
    salesChannelId: null,
    recordImpression: false,
  })
  const products = await recommendations.hydrate(
    result.items.map((i) => i.product_id),
    { customerId: null }
  )
  const byId = new Map(products.map((p) => [p.id, p]))
  const stats = await req.scope
    .resolve<InterestInsightsService>("interestInsightsService")
    .placementStats(from, to, req.params.id)
  res.json({
    product_id: req.params.id,
    model_version_id: result.model_version_id,
    related: result.items.map((i) => ({
      product_id: i.product_id,
      title: byId.get(i.product_id)?.title ?? null,
      thumbnail: byId.get(i.product_id)?.thumbnail ?? null,
      score: i.score,
      reason: i.reason,
      reason_code: i.reason_code,
    })),
    from: from.toISOString(),
    to: to.toISOString(),
    attribution_window_days: ATTRIBUTION_WINDOW_DAYS,
    ...stats,
  })
}
