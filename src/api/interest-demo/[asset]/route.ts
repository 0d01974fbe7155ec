import { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import fs from "fs"
import path from "path"
import { InterestPluginOptions } from "../../../options/plugin-options"
import { DEMO_ASSETS_DIR } from "../route"

/**
 * The only files served, so a request can never name another path. Looked up
 * as own keys only: `constructor` or `__proto__` are no assets.
 */
const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  "client.js": { file: path.join(__dirname, "..", "..", "..", "client", "browser.js"), type: "application/javascript" },
  "app.js": { file: path.join(DEMO_ASSETS_DIR, "app.js"), type: "application/javascript" },
  "app.css": { file: path.join(DEMO_ASSETS_DIR, "app.css"), type: "text/css" },
}

/** `/interest-demo/client.js` (the browser bundle of the storefront client) and the page's script and styles. */
export const GET = async (req: MedusaRequest, res: MedusaResponse): Promise<void> => {
  const options = req.scope.resolve<InterestPluginOptions>("interestOptions")
  const name = req.params.asset
  const asset = Object.prototype.hasOwnProperty.call(ASSETS, name) ? ASSETS[name] : undefined
  if (!options.demoStorefront || !asset) {
    res.status(404).json({ type: "not_found", message: "No such demo asset." })
    return
  }
  res.setHeader("cache-control", "no-cache")
  res.type(asset.type).send(fs.readFileSync(asset.file, "utf8"))
}
