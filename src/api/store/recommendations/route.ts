import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { cleanResponseData } from "@medusajs/medusa"
import { plainToInstance, Transform, Type } from "class-transformer"
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from "class-validator"
import { MedusaError } from "medusa-core-utils"
import { PLACEMENTS, Placement } from "../../../engine/pipeline"
import InterestRecommendationService from "../../../services/interest-recommendation"
import { ENTITY_ID_PATTERN, VISITOR_ID_PATTERN } from "../../../types/events"
import { InterestPluginOptions } from "../../../types/options"
import { resolveSalesChannelId } from "../../../utils/sales-channel"
import { loggedInCustomerId } from "../../../utils/subject"

export class StoreGetRecommendationsParams {
  @IsOptional()
  @IsIn(PLACEMENTS as unknown as string[], { message: `placement must be one of: ${PLACEMENTS.join(", ")}` })
  placement: Placement = "for_you"

  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: "product_id must be a product id" })
  product_id?: string

  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: "limit must be a whole number" })
  @Min(1)
  @Max(1000)
  limit?: number

  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: "region_id must be a region id" })
  region_id?: string

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z]{3}$/, { message: "currency_code must be a 3-letter ISO 4217 code" })
  currency_code?: string

  @IsOptional()
  @IsString()
  @Matches(VISITOR_ID_PATTERN, { message: "visitor_id must be 8-64 characters of A-Z, a-z, 0-9, _ or -" })
  visitor_id?: string

  /** Comma-separated product ids (or repeated `exclude[]`). */
  @IsOptional()
  @Transform(({ value }) => (Array.isArray(value) ? value : String(value).split(",")).map((v: unknown) => String(v).trim()).filter(Boolean))
  @Matches(ENTITY_ID_PATTERN, { each: true, message: "exclude must be product ids" })
  exclude?: string[]
}

/**
 * Personalised products for the logged-in customer, else the anonymous visitor
 * (`visitor_id` or the `x-interest-visitor-id` header), each with a `reason`
 * and the list's `recommendation_id` for attribution.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const options = req.scope.resolve<InterestPluginOptions>("interestOptions")
  const query = { ...(req.query as Record<string, unknown>) }
  const header = req.get("x-interest-visitor-id")
  if (header && query.visitor_id === undefined) query.visitor_id = header
  const params = plainToInstance(StoreGetRecommendationsParams, query)
  const errors = validateSync(params, { whitelist: true, forbidNonWhitelisted: true })
  if (errors.length) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      errors.flatMap((e) => Object.values(e.constraints ?? { [e.property]: `${e.property} is invalid` })).join(", ")
    )
  }
  const limit = params.limit ?? options.placementLimits.default
  if (limit > options.placementLimits.max) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `limit must not be greater than ${options.placementLimits.max}`)
  }
  if ((params.exclude?.length ?? 0) > 200) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "exclude must list at most 200 product ids")
  }

  const service = req.scope.resolve<InterestRecommendationService>("interestRecommendationService")
  const customerId = loggedInCustomerId(req)
  const result = await service.recommend({
    placement: params.placement,
    customerId,
    visitorId: params.visitor_id ?? null,
    productId: params.product_id,
    limit,
    exclude: params.exclude ?? [],
    salesChannelId: await resolveSalesChannelId(req),
  })
  const products = await service.hydrate(
    result.items.map((i) => i.product_id),
    { regionId: params.region_id, currencyCode: params.currency_code?.toLowerCase(), customerId }
  )
  const byId = new Map(result.items.map((i) => [i.product_id, i]))
  res.json({
    recommendation_id: result.recommendation_id,
    placement: result.placement,
    model_version_id: result.model_version_id,
    segment: result.segment,
    cold: result.cold,
    products: (cleanResponseData(products, []) as { id: string }[]).map((p) => {
      const item = byId.get(p.id)
      return { ...p, reason: item?.reason, reason_code: item?.reason_code, score: item?.score, recommendation_id: result.recommendation_id }
    }),
  })
}
