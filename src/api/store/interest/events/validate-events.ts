import { plainToInstance } from "class-transformer"
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  validateSync,
  ValidationError,
} from "class-validator"
import {
  CLIENT_EVENT_ID_PATTERN,
  ENTITY_ID_PATTERN,
  STOREFRONT_EVENT_TYPES,
  StorefrontEventType,
  VISITOR_ID_PATTERN,
} from "../../../../types/events"

/** The envelope of `POST /store/interest/events`. Events are checked one by one below. */
export class StorePostInterestEventsReq {
  @IsOptional()
  @IsString()
  @Matches(VISITOR_ID_PATTERN, { message: "visitor_id must be 8-64 characters of A-Z, a-z, 0-9, _ or -" })
  visitor_id?: string

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  events?: unknown[]

  /** A single event, as an alternative to `events`. */
  @IsOptional()
  @IsObject()
  event?: unknown
}

/** One storefront event. Only `type` and `product_id` are required. */
export class StoreInterestEventReq {
  @IsIn(STOREFRONT_EVENT_TYPES as unknown as string[], {
    message: `type must be one of: ${STOREFRONT_EVENT_TYPES.join(", ")}`,
  })
  type: StorefrontEventType

  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: "product_id must be a product id such as prod_01H..." })
  product_id: string

  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: "variant_id must be a variant id" })
  variant_id?: string

  @IsOptional()
  @IsString()
  @Matches(CLIENT_EVENT_ID_PATTERN, { message: "client_event_id must be 1-128 characters of A-Z, a-z, 0-9, _ . : -" })
  client_event_id?: string

  @IsOptional()
  @IsString()
  @IsISO8601({ strict: true }, { message: "occurred_at must be an ISO 8601 date-time" })
  occurred_at?: string

  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: "recommendation_id must be an id given by GET /store/recommendations" })
  recommendation_id?: string

  /** Passed through from the list (GET /store/recommendations); must match the list's when sent. */
  @IsOptional()
  @IsString()
  @Matches(ENTITY_ID_PATTERN, { message: "experiment_id must be an id given by GET /store/recommendations" })
  experiment_id?: string

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,40}$/, { message: "arm must be an arm given by GET /store/recommendations" })
  arm?: string

  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1000)
  quantity?: number
}

const VALIDATION = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }

export type EventCheck =
  | { ok: true; event: StoreInterestEventReq; occurredAt: Date }
  | { ok: false; reason: string }

/**
 * Checks the envelope; throws a readable message for a request that is wrong as a whole.
 * @return the envelope and the raw events
 */
export function checkEnvelope(
  body: unknown,
  maxBatchSize: number
): { envelope: StorePostInterestEventsReq; rawEvents: unknown[] } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new Error("The body must be a JSON object: {\"visitor_id\": \"...\", \"events\": [...]}.")
  }
  const envelope = plainToInstance(StorePostInterestEventsReq, body)
  const errors = validateSync(envelope, VALIDATION)
  if (errors.length) {
    throw new Error(messages(errors).join(", "))
  }
  if (envelope.events && envelope.event) {
    throw new Error("Send either `events` or `event`, not both.")
  }
  const rawEvents = envelope.events ?? (envelope.event ? [envelope.event] : [])
  if (!rawEvents.length) {
    throw new Error("events must contain at least 1 event.")
  }
  if (rawEvents.length > maxBatchSize) {
    throw new Error(`events must contain at most ${maxBatchSize} events (got ${rawEvents.length}).`)
  }
  return { envelope, rawEvents }
}

/**
 * Checks one event on its own, so a bad event rejects only itself.
 * @param raw - the event as sent
 * @param now - the server's clock
 * @param maxAgeDays - oldest accepted occurred_at
 */
export function checkEvent(raw: unknown, now: Date, maxAgeDays: number): EventCheck {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, reason: "an event must be a JSON object" }
  }
  const event = plainToInstance(StoreInterestEventReq, raw)
  const errors = validateSync(event, VALIDATION)
  if (errors.length) {
    return { ok: false, reason: messages(errors).join(", ") }
  }
  const occurredAt = event.occurred_at ? new Date(event.occurred_at) : now
  if (Number.isNaN(occurredAt.getTime())) {
    return { ok: false, reason: "occurred_at is not a valid date" }
  }
  if (occurredAt.getTime() > now.getTime() + 5 * 60_000) {
    return { ok: false, reason: "occurred_at is in the future" }
  }
  if (occurredAt.getTime() < now.getTime() - maxAgeDays * 86_400_000) {
    return { ok: false, reason: `occurred_at is older than ${maxAgeDays} days` }
  }
  return { ok: true, event, occurredAt }
}

function messages(errors: ValidationError[]): string[] {
  return errors.flatMap((e) =>
    e.constraints ? Object.values(e.constraints) : e.children ? messages(e.children) : [`${e.property} is invalid`]
  )
}
