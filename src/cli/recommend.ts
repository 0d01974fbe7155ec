import * as fs from "fs"
import * as path from "path"
import { PLACEMENTS, Placement, TrainedArtifacts, loadArtifacts, recommend } from "../engine/pipeline"
import { ParsedArgs, optionalFlag, requireFlag } from "./args"
import { ARTIFACTS_FILE } from "./train"

export async function runRecommend(flags: ParsedArgs["flags"]): Promise<void> {
  const usage = "medusa-interest recommend --model DIR --customer ID [--k 10]"
  const dir = requireFlag(flags, "model", usage)
  const customerId = requireFlag(flags, "customer", usage)
  const k = Number(optionalFlag(flags, "k") ?? "10")
  if (!Number.isInteger(k) || k <= 0) throw new Error(`--k must be a positive integer, got "${flags.k}".`)
  const placement = (optionalFlag(flags, "placement") ?? "for_you") as Placement
  if (!PLACEMENTS.includes(placement)) throw new Error(`--placement must be one of ${PLACEMENTS.join(", ")}.`)
  const file = path.join(dir, ARTIFACTS_FILE)
  if (!fs.existsSync(file)) throw new Error(`No trained model in ${dir} (expected ${ARTIFACTS_FILE}; run "medusa-interest train" first).`)
  const model = loadArtifacts(JSON.parse(fs.readFileSync(file, "utf8")) as TrainedArtifacts)
  const known = model.stage.customerIndex.has(customerId)
  const res = recommend(model, { customerId, placement, productId: optionalFlag(flags, "product"), limit: k })
  process.stdout.write(
    `${known ? "customer" : "unknown customer (treated as a new visitor)"} ${customerId}` +
      `${res.segment ? `, segment ${res.segment.id} "${res.segment.name}"` : ""}${res.cold ? ", cold-start blend" : ""}\n`
  )
  res.items.forEach((it, i) => process.stdout.write(`${String(i + 1).padStart(3)}. ${it.productId}  ${it.score.toFixed(4)}  ${it.reason}\n`))
}
