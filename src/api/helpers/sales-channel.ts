import { MedusaRequest, SalesChannelService } from "@medusajs/medusa"
import type PublishableApiKeyService from "@medusajs/medusa/dist/services/publishable-api-key"
import { MedusaError } from "medusa-core-utils"

/**
 * The sales channel of a store request, the way Medusa's own store routes pick
 * it: the publishable API key's first channel, else the default channel.
 * Custom routes are not checked by Medusa, so an unknown or revoked key is
 * rejected here.
 */
export async function resolveSalesChannelId(req: MedusaRequest): Promise<string | null> {
  const key = req.get("x-publishable-api-key")
  if (key) {
    const keys = req.scope.resolve<PublishableApiKeyService>("publishableApiKeyService")
    const valid = await keys.isValid(key).catch(() => false)
    if (!valid) {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "The publishable API key is unknown or revoked.")
    }
    const scopes = await keys.getResourceScopes(key)
    return scopes.sales_channel_ids[0] ?? null
  }
  const channels = req.scope.resolve<SalesChannelService>("salesChannelService")
  const channel = await channels.retrieveDefault().catch(() => null)
  return channel?.id ?? null
}
