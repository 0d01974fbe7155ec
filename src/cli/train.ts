import * as fs from "fs"
import * as path from "path"
import { trainPipeline } from "../engine/pipeline"
import { ParsedArgs, optionalFlag, requireFlag } from "./args"
import { loadEventsFile, parsePeriod } from "./load-events"
import { sequenceFlags } from "./sequence-flags"

export const ARTIFACTS_FILE = "artifacts.json"

export async function runTrain(flags: ParsedArgs["flags"]): Promise<void> {
  const usage = "medusa-interest train --events FILE.csv --out DIR"
  const file = requireFlag(flags, "events", usage)
  const out = requireFlag(flags, "out", usage)
  const period = parsePeriod(optionalFlag(flags, "period"), "week")
  const sequence = sequenceFlags(flags)
  const { events, catalog } = loadEventsFile(file)
  const t0 = Date.now()
  const artifacts = await trainPipeline(
    events,
    catalog,
    { period, sequence },
    { onProgress: flags.verbose === true ? (m) => process.stderr.write(m + "\n") : undefined }
  )
  fs.mkdirSync(out, { recursive: true })
  const target = path.join(out, ARTIFACTS_FILE)
  fs.writeFileSync(target, JSON.stringify(artifacts))
  const segs = artifacts.segments.list.map((s) => `${s.id} "${s.name}" (${s.size})`).join(", ")
  process.stdout.write(
    `trained on ${events.length} events, ${artifacts.customers.ids.length} customers in ${((Date.now() - t0) / 1000).toFixed(1)} s\n` +
      `segments: ${segs}\n` +
      `LSTM: ${artifacts.report.lstm.used ? "used" : `not used (${artifacts.report.lstm.reason})`}\n` +
      `wrote ${target} (${Math.round(fs.statSync(target).size / 1024)} KB)\n`
  )
}
