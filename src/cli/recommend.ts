import * as fs from "fs"
import * as path from "path"
import { LoadedModel, PLACEMENTS, Placement, TrainedArtifacts, loadArtifacts, recommend } from "../engine/pipeline"
import { ParsedArgs, optionalFlag, requireFlag } from "./args"
import { ARTIFACTS_FILE } from "./train"

export const RECOMMEND_USAGE =
  "medusa-interest recommend --model DIR --customer ID [--k 10] [--placement for_you] [--product ID] [--json OUT]\n" +
  "  medusa-interest recommend --model DIR --customers FILE|all --json OUT [--k 10]"

/**
 * `--customer ID`: prints one customer's list (and with `--json OUT` writes `{"ID": [...]}`).
 * `--customers FILE|all --json OUT`: writes the for_you list of every listed customer as
 * `{"<customer_id>": ["<product_id>", ...], ...}`, from one load of the artifacts.
 */
export async function runRecommend(flags: ParsedArgs["flags"]): Promise<void> {
  const usage = RECOMMEND_USAGE
  const dir = requireFlag(flags, "model", usage)
  const single = optionalFlag(flags, "customer")
  const batch = optionalFlag(flags, "customers")
  if (single !== undefined && batch !== undefined) {
    throw new Error(`--customer and --customers cannot be used together (one customer, or a list). Usage: ${usage}`)
  }
  if (!single && !batch) throw new Error(`--customer ID or --customers FILE|all is required. Usage: ${usage}`)
  const k = Number(optionalFlag(flags, "k") ?? "10")
  if (!Number.isInteger(k) || k <= 0) throw new Error(`--k must be a positive integer, got "${flags.k}".`)
  const placement = (optionalFlag(flags, "placement") ?? "for_you") as Placement
  if (!PLACEMENTS.includes(placement)) throw new Error(`--placement must be one of ${PLACEMENTS.join(", ")}.`)
  const product = optionalFlag(flags, "product")
  const out = batch ? requireFlag(flags, "json", usage) : optionalFlag(flags, "json")
  if (out !== undefined) checkOutput(out)

  if (batch) {
    if (placement !== "for_you") throw new Error(`--customers exports the for_you placement only, got --placement ${placement}.`)
    if (product !== undefined) throw new Error("--product applies to --placement related with --customer only.")
    // Read the list before the (much larger) artifacts, so a wrong path fails at once.
    const listed = batch === "all" ? undefined : readCustomerIds(batch)
    const model = loadModel(dir)
    const ids = listed ?? model.stage.customerIds
    if (ids.length === 0) throw new Error(`No customers to export: the model in ${dir} has no customers.`)
    const unique = [...new Set(ids)]
    const unknown = unique.filter((id) => !model.stage.customerIndex.has(id)).length
    if (listed) {
      const dup = ids.length - unique.length
      process.stderr.write(
        `${unknown} of ${unique.length} customer ids in ${batch} are not in the model (exported with what a new visitor gets)` +
          `${dup > 0 ? `; ${dup} duplicate line${dup === 1 ? "" : "s"} skipped` : ""}\n`
      )
    }
    writeJsonAtomic(
      out as string,
      (function* () {
        for (const customerId of unique) yield [customerId, forYou(model, customerId, k)] as [string, string[]]
      })()
    )
    process.stdout.write(`wrote ${unique.length} customers (${unknown} unknown) to ${out}\n`)
    return
  }

  const customerId = single as string
  const model = loadModel(dir)
  const known = model.stage.customerIndex.has(customerId)
  const res = recommend(model, { customerId, placement, productId: product, limit: k })
  process.stdout.write(
    `${known ? "customer" : "unknown customer (treated as a new visitor)"} ${customerId}` +
      `${res.segment ? `, segment ${res.segment.id} "${res.segment.name}"` : ""}${res.cold ? ", cold-start blend" : ""}\n`
  )
  res.items.forEach((it, i) => process.stdout.write(`${String(i + 1).padStart(3)}. ${it.productId}  ${it.score.toFixed(4)}  ${it.reason}\n`))
  if (out !== undefined) {
    writeJsonAtomic(out, [[customerId, res.items.map((i) => i.productId)]])
    process.stdout.write(`wrote 1 customer (${known ? 0 : 1} unknown) to ${out}\n`)
  }
}

/** Exactly what the for_you placement serves this customer from these artifacts. */
function forYou(model: LoadedModel, customerId: string, k: number): string[] {
  return recommend(model, { customerId, placement: "for_you", limit: k }).items.map((i) => i.productId)
}

function loadModel(dir: string): LoadedModel {
  const file = path.join(dir, ARTIFACTS_FILE)
  if (!fs.existsSync(file)) throw new Error(`No trained model in ${dir} (expected ${ARTIFACTS_FILE}; run "medusa-interest train" first).`)
  return loadArtifacts(JSON.parse(fs.readFileSync(file, "utf8")) as TrainedArtifacts)
}

/** One customer id a line; blank lines and surrounding whitespace (a BOM, \r) ignored. Duplicates are kept here. */
export function readCustomerIds(file: string): string[] {
  if (!fs.existsSync(file)) throw new Error(`Customers file not found: ${file} (one customer id a line, or "all").`)
  if (fs.statSync(file).isDirectory()) throw new Error(`--customers must be a file (one customer id a line) or "all", got the directory ${file}.`)
  const ids = fs
    .readFileSync(file, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
  if (ids.length === 0) throw new Error(`No customer ids in ${file} (expected one customer id a line).`)
  return ids
}

function checkOutput(out: string): void {
  const parent = path.dirname(path.resolve(out))
  if (!fs.existsSync(parent) || !fs.statSync(parent).isDirectory()) throw new Error(`Directory of --json ${out} not found: ${parent}`)
  if (fs.existsSync(out) && fs.statSync(out).isDirectory()) throw new Error(`--json ${out} is a directory, expected a file name.`)
}

/**
 * Writes `{"id": [...], ...}` (one customer a line, in the given order, even for ids that look
 * like numbers) to OUT.tmp and renames it to OUT, so a failed run never leaves half a file.
 */
function writeJsonAtomic(out: string, entries: Iterable<[string, string[]]>): void {
  const tmp = `${out}.tmp`
  const fd = fs.openSync(tmp, "w")
  let open = true
  try {
    let buf = "{"
    let first = true
    for (const [id, list] of entries) {
      buf += `${first ? "\n" : ",\n"}${JSON.stringify(id)}: ${JSON.stringify(list)}`
      first = false
      if (buf.length >= 1 << 16) {
        fs.writeSync(fd, buf)
        buf = ""
      }
    }
    fs.writeSync(fd, buf + (first ? "}\n" : "\n}\n"))
    fs.fsyncSync(fd)
    open = false
    fs.closeSync(fd)
    fs.renameSync(tmp, out)
  } catch (e) {
    if (open) fs.closeSync(fd)
    fs.rmSync(tmp, { force: true })
    throw e
  }
}
