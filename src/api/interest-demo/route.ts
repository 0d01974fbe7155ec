import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import fs from "fs"
import path from "path"
import type { ShopRepository } from "../../repositories/shop"
import { InterestPluginOptions } from "../../options/plugin-options"
import { inlineJson, loadDemoConfig } from "./demo-config"

/** Page assets copied next to the compiled demo module by scripts/build-client.js. */
export const DEMO_ASSETS_DIR = path.join(__dirname, "..", "..", "demo", "storefront")

/**
 * The demo storefront page (only with the `demoStorefront` option): a product
 * grid and the plugin's carousels, driven by the storefront client through the
 * public store API, as a real storefront would.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const options = req.scope.resolve<InterestPluginOptions>("interestOptions")
  if (!options.demoStorefront) {
    res.status(404).json({ type: "not_found", message: "The demo storefront is off (plugin option demoStorefront)." })
    return
  }
  // Imported here, not at the top: the demo seeder needs `pg`, which a
  // merchant's shop running without the demo never has to load.
  const { DEMO_PASSWORD } = await import("../../demo/seed-shop")
  const config = await loadDemoConfig(req.scope.resolve<typeof ShopRepository>("shopRepository"), DEMO_PASSWORD)
  const html = fs
    .readFileSync(path.join(DEMO_ASSETS_DIR, "index.html"), "utf8")
    .replace("/*__INTEREST_DEMO_CONFIG__*/null", inlineJson(config))
  res.setHeader("cache-control", "no-store")
  res.type("html").send(html)
}
