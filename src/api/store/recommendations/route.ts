import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { plainToInstance, Transform, Type } from "class-transformer"
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from "class-validator"
import { MedusaError } from "medusa-core-utils"
import { PLACEMENTS, Placement } from "../../../engine/pipeline"
import InterestRecommendationService, { RecommendedProduct } from "../../../services/interest-recommendation"
import { ENTITY_ID_PATTERN, VISITOR_ID_PATTERN } from "../../../types/events"
import { InterestPluginOptions } from "../../../options/plugin-options"
import { cachedSalesChannelId } from "../../helpers/cached-sales-channel"
import { loggedInCustomerId } from "../../helpers/subject"

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

  /** Comma-separated product ids (or repeated `exclude[]`). */
  @IsOptional()
  @Transform(({ value }) => (Array.isArray(value) ? value : String(value).split(",")).map((v: unknown) => String(v).trim()).filter(Boolean))
  @Matches(ENTITY_ID_PATTERN, { each: true, message: "exclude must be product ids" })
  exclude?: string[]
}

/** The header that carries the anonymous visitor id. */
export const VISITOR_HEADER = "x-interest-visitor-id"

/**
 * The anonymous visitor of a GET request, from its header only. A visitor id
 * is a bearer secret (whoever holds it reads that visitor's history), so it
 * is refused in the URL, where access logs, proxies and browser history keep
 * it. Error messages never repeat the id: Medusa logs every error.
 */
function visitorIdOf(req: MedusaRequest): string | null {
  if (Object.prototype.hasOwnProperty.call(req.query ?? {}, "visitor_id")) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `visitor_id is not accepted in the URL (it would be written to access logs): send it in the ${VISITOR_HEADER} header`
    )
  }
  const header = req.get(VISITOR_HEADER)
  if (!header) return null
  if (!VISITOR_ID_PATTERN.test(header)) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `${VISITOR_HEADER} must be 8-64 characters of A-Z, a-z, 0-9, _ or -`)
  }
  return header
}

/**
 * Personalised products for the logged-in customer, else the anonymous visitor
 * (the `x-interest-visitor-id` header), each with a `reason` and the list's
 * `recommendation_id` for attribution (and, while an experiment runs on the
 * placement, its `experiment_id` and the shopper's `arm`).
 *
 * The products are prepared cards (interest-product-card) already serialised:
 * the answer is put together as text, so a request neither rebuilds nor
 * re-serialises products.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const options = req.scope.resolve<InterestPluginOptions>("interestOptions")
  const visitorId = visitorIdOf(req)
  const params = plainToInstance(StoreGetRecommendationsParams, { ...(req.query as Record<string, unknown>) })
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
  const currencyCode = params.currency_code?.toLowerCase()
  if (currencyCode && !(await service.knownCurrency(currencyCode))) {
    // Cards are kept per currency: an unknown code must not create any.
    throw new MedusaError(MedusaError.Types.INVALID_DATA, `currency_code ${currencyCode} is not a currency of the shop`)
  }

  const result = await service.serve({
    placement: params.placement,
    customerId: loggedInCustomerId(req),
    visitorId,
    productId: params.product_id,
    limit,
    exclude: params.exclude ?? [],
    salesChannelId: await cachedSalesChannelId(req),
    regionId: params.region_id,
    currencyCode,
  })
  // The cards are bytes already: the answer is copied together around them.
  const rid = JSON.stringify(result.recommendation_id)
  // The experiment and arm travel beside the recommendation id, on the list and on each product.
  const arm = `"experiment_id":${JSON.stringify(result.experiment_id)},"arm":${JSON.stringify(result.arm)}`
  const parts: Buffer[] = [
    Buffer.from(
      `{"recommendation_id":${rid},${arm},"placement":${JSON.stringify(result.placement)},"model_version_id":${JSON.stringify(result.model_version_id)},` +
        `"segment":${segmentJson(result.segment)},"cold":${result.cold},"products":[`
    ),
  ]
  const close = Buffer.from(`${rid},${arm}}`)
  result.items.forEach((item, i) => {
    if (i > 0) parts.push(COMMA)
    parts.push(result.products.get(item.product_id) as Buffer, itemFields(item), close)
  })
  parts.push(END)
  const body = Buffer.concat(parts)
  // res.end, not res.send: a personalised list (its recommendation_id is new
  // every time) gains nothing from the ETag express would hash the body for.
  res.statusCode = 200
  res.setHeader("Content-Type", "application/json; charset=utf-8")
  res.setHeader("Content-Length", body.length)
  res.end(body)
}

const COMMA = Buffer.from(",")
const END = Buffer.from("]}")

/**
 * The fields a list adds to a product, up to its recommendation id. A ranking
 * reused for identical inputs hands out the same item objects, so their
 * serialised fields are kept with them.
 */
const itemCache = new WeakMap<RecommendedProduct, Buffer>()
function itemFields(item: RecommendedProduct): Buffer {
  let fields = itemCache.get(item)
  if (!fields) {
    fields = Buffer.from(
      `,"reason":${JSON.stringify(item.reason)},"reason_code":${JSON.stringify(item.reason_code)},"score":${JSON.stringify(item.score)},"recommendation_id":`
    )
    itemCache.set(item, fields)
  }
  return fields
}

const segmentCache = new WeakMap<object, string>()
function segmentJson(segment: { id: string; name: string } | null): string {
  if (!segment) return "null"
  let json = segmentCache.get(segment)
  if (json === undefined) {
    json = JSON.stringify(segment)
    segmentCache.set(segment, json)
  }
  return json
}
