/**
 * Micro-benchmark: seconds per training epoch of the sequence model on each
 * available tfjs backend, at a realistic size (default 2,000 sequences × 12 steps
 * × 64 features, 64 LSTM units, batch 64, 32 outputs).
 *
 * Compile into a folder inside the repository (so node_modules resolves) and run:
 *   npx tsc --outDir node_modules/.cache/sequence-bench --rootDir . --target ES2021 --module commonjs \
 *     --esModuleInterop --skipLibCheck --strict --types node bench/sequence.ts
 *   node node_modules/.cache/sequence-bench/bench/sequence.js [backends=wasm,cpu] [n=2000]
 * One warm-up epoch, then `MEASURED` epochs timed (wall and process CPU time);
 * prints each and the median. Run it twice: the backends' numbers vary with load.
 */
import { createSequenceModel, initBackend } from "../src/engine/sequence"
import type { SequenceSample } from "../src/engine/sequence"
import { SeededRandom } from "../src/engine/util/random"

const MEASURED = 2

function syntheticSamples(n: number, lookback: number, featureDim: number, outputDim: number): SequenceSample[] {
  const random = new SeededRandom(1)
  return Array.from({ length: n }, () => {
    const steps = Array.from({ length: lookback }, () =>
      Array.from({ length: featureDim }, () => (random.next() < 0.15 ? random.next() : 0))
    )
    const raw = Array.from({ length: outputDim }, () => random.next() ** 4)
    const total = raw.reduce((a, b) => a + b, 0)
    return { steps, target: raw.map((v) => v / total) }
  })
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = Math.floor(s.length / 2)
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

async function main(): Promise<void> {
  const backends = (process.argv[2] ?? "wasm,cpu").split(",")
  const n = Number(process.argv[3] ?? 2000)
  const dims = { lookback: 12, featureDim: 64, outputDim: 32, units: 64, batchSize: 64 }
  const samples = syntheticSamples(n, dims.lookback, dims.featureDim, dims.outputDim)
  for (const backend of backends) {
    const used = await initBackend(backend)
    const model = await createSequenceModel({ ...dims, epochs: 1 + MEASURED, validationSplit: 0, patience: 100 })
    // Wall time and this process's CPU time: on a shared machine the wall time also
    // counts waiting for a core, the CPU time does not.
    const times: number[] = []
    const cpuTimes: number[] = []
    let last = Date.now()
    let lastCpu = process.cpuUsage()
    await model.fit(samples, {
      onProgress: (p) => {
        const now = Date.now()
        const cpu = process.cpuUsage(lastCpu)
        times.push(now - last)
        cpuTimes.push((cpu.user + cpu.system) / 1000)
        last = now
        lastCpu = process.cpuUsage()
        console.log(
          `  ${used} epoch ${p.epoch}: wall ${(times[times.length - 1] / 1000).toFixed(2)} s, ` +
            `cpu ${(cpuTimes[cpuTimes.length - 1] / 1000).toFixed(2)} s, loss ${p.loss.toFixed(4)}`
        )
      },
    })
    model.dispose()
    const seconds = (xs: number[]): string => xs.map((t) => (t / 1000).toFixed(2)).join(", ")
    console.log(
      `${used}: ${n} sequences × ${dims.lookback} × ${dims.featureDim}, ${dims.units} units, batch ${dims.batchSize}: ` +
        `wall ${seconds(times.slice(1))} s (median ${(median(times.slice(1)) / 1000).toFixed(2)}), ` +
        `cpu ${seconds(cpuTimes.slice(1))} s (median ${(median(cpuTimes.slice(1)) / 1000).toFixed(2)}) per epoch; ` +
        `warm-up epoch wall ${(times[0] / 1000).toFixed(2)} s`
    )
  }
}

main().catch((e) => {
  console.error(e)
  process.exitCode = 1
})
