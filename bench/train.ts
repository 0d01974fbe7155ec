/**
 * Pipeline benchmark on synthetic shops: time and peak memory of trainPipeline
 * (profiles, segments, transfer, LSTM, blend fitting, artifacts) per size.
 *   npm run bench:train -- [--sizes 10000,50000,100000] [--events 20] [--no-lstm]
 * Each size runs in its own child process so peak memory (maxRSS) is per size.
 */
import { execFileSync } from "child_process"
import { trainPipeline } from "../src/engine/pipeline"
import { generateCatalog, simulateBehaviour } from "../src/engine/synthetic"

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : undefined
}

async function one(customers: number, eventsPerCustomer: number, lstm: boolean): Promise<void> {
  const t0 = Date.now()
  const catalog = generateCatalog({ seed: 1, products: 3000, categories: 40 })
  const { events } = simulateBehaviour({
    catalog,
    customers,
    start: new Date("2024-01-01T00:00:00Z"),
    days: 180,
    seed: 1,
    meanEventsPerCustomer: eventsPerCustomer,
  })
  const genMs = Date.now() - t0
  const t1 = Date.now()
  const artifacts = await trainPipeline(events, catalog.products, { period: "week", sequence: { enabled: lstm } })
  const trainMs = Date.now() - t1
  const t2 = Date.now()
  const bytes = Buffer.byteLength(JSON.stringify(artifacts))
  const serializeMs = Date.now() - t2
  const peakMb = Math.round(process.resourceUsage().maxRSS / 1024)
  const d = artifacts.report.durationsMs
  process.stdout.write(
    JSON.stringify({
      customers,
      events: events.length,
      generateS: +(genMs / 1000).toFixed(1),
      pipelineS: +(trainMs / 1000).toFixed(1),
      serializeS: +(serializeMs / 1000).toFixed(1),
      artifactsMb: +(bytes / 1048576).toFixed(1),
      peakRssMb: peakMb,
      lstm: artifacts.report.lstm.used ? artifacts.report.lstm.backend : "off",
      stepsS: Object.fromEntries(Object.entries(d).map(([k, v]) => [k, +(v / 1000).toFixed(1)])),
    }) + "\n"
  )
}

async function main(): Promise<void> {
  const eventsPerCustomer = Number(flag("events") ?? "20")
  const lstm = !process.argv.includes("--no-lstm")
  const single = flag("one")
  if (single) return one(Number(single), eventsPerCustomer, lstm)
  const sizes = (flag("sizes") ?? "10000,50000,100000").split(",").map(Number)
  process.stdout.write(`bench:train  ${eventsPerCustomer} events/customer, LSTM ${lstm ? "on" : "off"}, ${require("os").cpus().length} cores\n`)
  for (const n of sizes) {
    const args = [__filename, "--one", String(n), "--events", String(eventsPerCustomer)].concat(lstm ? [] : ["--no-lstm"])
    try {
      const out = execFileSync(process.execPath, ["--max-old-space-size=4096", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] })
      const r = JSON.parse(out.trim().split("\n").pop() as string)
      process.stdout.write(
        `${String(r.customers).padStart(7)} customers ${String(r.events).padStart(9)} events: pipeline ${r.pipelineS} s, ` +
          `peak ${r.peakRssMb} MB, artifacts ${r.artifactsMb} MB (serialise ${r.serializeS} s), LSTM ${r.lstm}; steps ${JSON.stringify(r.stepsS)}\n`
      )
    } catch (e) {
      process.stdout.write(`${n} customers: failed (${(e as Error).message.split("\n")[0]})\n`)
    }
  }
}

main().catch((e) => {
  process.stderr.write(String(e) + "\n")
  process.exit(1)
})
