/**
 * The worker path. Worker threads run JavaScript, so this file compiles the
 * current sources of src/engine/sequence (ts.transpileModule) into a temporary
 * folder whose node_modules links to the repository's, and runs that worker:
 * the test needs no prior `npm run build` and never runs a stale dist/.
 * The default resolution (src → dist) is tested separately on fixture folders.
 */
import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import * as ts from "typescript"
import type { TrainingProgress } from "../contract"
import { initBackend, loadSequenceModel, resolveWorkerScript, trainInWorker } from ".."
import type { WorkerProgress } from ".."
import { noiseSamples, secondOrderWindows, toSamples } from "../__fixtures__/sequences"

jest.setTimeout(40_000)

const SOURCE_DIR = path.resolve(__dirname, "..")
const REPO_ROOT = path.resolve(SOURCE_DIR, "../../..")
let tmp: string
let workerScript: string

beforeAll(async () => {
  await initBackend(undefined, { logger: () => undefined })
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "interest-worker-"))
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(tmp, "node_modules"), "dir")
  const out = path.join(tmp, "sequence")
  fs.mkdirSync(out)
  for (const file of fs.readdirSync(SOURCE_DIR)) {
    if (!file.endsWith(".ts") || file.endsWith(".d.ts")) {
      continue
    }
    const { outputText } = ts.transpileModule(fs.readFileSync(path.join(SOURCE_DIR, file), "utf8"), {
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2021,
        esModuleInterop: true,
      },
      fileName: file,
    })
    fs.writeFileSync(path.join(out, file.replace(/\.ts$/, ".js")), outputText)
  }
  workerScript = path.join(out, "train-worker.js")
})

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

const options = { lookback: 4, featureDim: 6, outputDim: 6, units: 8, batchSize: 32 }
const quiet = { logger: () => undefined, warn: () => undefined }

describe("trainInWorker", () => {
  it("trains in a worker, reports progress in order, and returns a loadable model", async () => {
    const train = toSamples(secondOrderWindows(200, 3))
    const target = noiseSamples(60, 4, 6, 6, 4)
    const progress: WorkerProgress[] = []
    const logger = jest.fn()
    const handle = trainInWorker(
      { options: { ...options, epochs: 4, patience: 10 }, train, fineTune: { target, overrides: { epochs: 2 } } },
      { onProgress: (p) => progress.push(p), logger, warn: () => undefined, workerScript }
    )
    const result = await handle.promise
    expect(progress.map((p) => `${p.phase}:${p.epoch}`)).toEqual(["fit:1", "fit:2", "fit:3", "fit:4", "fineTune:1", "fineTune:2"])
    const fitLosses = progress.filter((p) => p.phase === "fit").map((p) => p.loss)
    expect(fitLosses[3]).toBeLessThan(fitLosses[0])
    expect(result.fit).toMatchObject({ epochsRun: 4, backend: result.backend })
    expect(result.fineTune).toMatchObject({ epochsRun: 2 })
    expect(["tensorflow", "wasm", "cpu"]).toContain(result.backend)
    expect(logger).toHaveBeenCalledWith(expect.stringContaining(result.backend))

    // The returned model predicts in this thread; cancelling a finished run changes nothing.
    handle.cancel()
    const model = await loadSequenceModel(result.model)
    try {
      const out = await model.predict(train.slice(0, 3).map((s) => s.steps))
      expect(out).toHaveLength(3)
      out.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5))
    } finally {
      model.dispose()
    }
  })

  it("fine-tunes a base model only, leaving its LSTM weights unchanged", async () => {
    const first = await trainInWorker(
      { options: { ...options, epochs: 2 }, train: toSamples(secondOrderWindows(100, 5)) },
      { ...quiet, workerScript }
    ).promise
    const result = await trainInWorker(
      { base: first.model, fineTune: { target: noiseSamples(50, 4, 6, 6, 6) } },
      { ...quiet, workerScript }
    ).promise
    expect(result.fit).toBeUndefined()
    expect(result.fineTune?.epochsRun).toBeGreaterThan(0)
    const before = await loadSequenceModel(first.model)
    const after = await loadSequenceModel(result.model)
    try {
      const a = before.layerWeights("lstm")
      after.layerWeights("lstm").forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(a[i])))
      expect(after.layerWeights("head")[0]).not.toEqual(before.layerWeights("head")[0])
    } finally {
      before.dispose()
      after.dispose()
    }
  })

  it("cancel() terminates the worker and rejects with an AbortError", async () => {
    const seen: TrainingProgress[] = []
    const handle = trainInWorker(
      { options: { ...options, epochs: 200, patience: 200 }, train: noiseSamples(300, 4, 6, 6, 7) },
      {
        ...quiet,
        workerScript,
        onProgress: (p) => {
          seen.push(p)
          if (p.epoch === 1) {
            handle.cancel()
          }
        },
      }
    )
    await expect(handle.promise).rejects.toMatchObject({ name: "AbortError" })
    const count = seen.length
    await new Promise((r) => setTimeout(r, 500))
    expect(count).toBe(1)
    expect(seen.length).toBe(1) // nothing arrives after cancel
  })

  it("an AbortSignal cancels too, even before the first epoch ends", async () => {
    const ac = new AbortController()
    const handle = trainInWorker(
      { options: { ...options, epochs: 200 }, train: noiseSamples(300, 4, 6, 6, 8) },
      { ...quiet, workerScript, signal: ac.signal }
    )
    setTimeout(() => ac.abort(), 50)
    await expect(handle.promise).rejects.toMatchObject({ name: "AbortError" })
  })

  it("rejects with the worker's error message, and checks inputs before starting a worker", async () => {
    const train = toSamples(secondOrderWindows(40, 9))
    await expect(
      trainInWorker(
        { options: { ...options, epochs: 1 }, train, fineTune: { target: train, overrides: { epochs: 0 } } },
        { ...quiet, workerScript }
      ).promise
    ).rejects.toThrow(/epochs must be a positive integer/)

    await expect(
      trainInWorker({ options, train: [{ steps: [[1]], target: [1] }] }, { ...quiet, workerScript }).promise
    ).rejects.toThrow(/Sample 0: expected 4 steps/)
    await expect(trainInWorker({ fineTune: { target: train } }, { ...quiet, workerScript }).promise).rejects.toThrow(
      /base/
    )
    await expect(
      trainInWorker({ options, train }, { ...quiet, workerScript: path.join(tmp, "missing.js") }).promise
    ).rejects.toThrow()
  })
})

describe("resolveWorkerScript", () => {
  let root: string
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "interest-resolve-"))
  })
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true })
  })

  it("uses the compiled file next to compiled code", () => {
    const dist = path.join(root, "dist", "engine", "sequence")
    fs.mkdirSync(dist, { recursive: true })
    fs.writeFileSync(path.join(dist, "train-worker.js"), "")
    expect(resolveWorkerScript(dist)).toBe(path.join(dist, "train-worker.js"))
  })

  it("swaps src for dist when running from TypeScript sources", () => {
    const src = path.join(root, "src", "engine", "sequence")
    const dist = path.join(root, "dist", "engine", "sequence")
    fs.mkdirSync(src, { recursive: true })
    fs.mkdirSync(dist, { recursive: true })
    fs.writeFileSync(path.join(src, "train-worker.ts"), "")
    fs.writeFileSync(path.join(dist, "train-worker.js"), "")
    expect(resolveWorkerScript(src)).toBe(path.join(dist, "train-worker.js"))
  })

  it("tells to run npm run build when the compiled worker is missing", () => {
    const src = path.join(root, "src", "engine", "sequence")
    fs.mkdirSync(src, { recursive: true })
    expect(() => resolveWorkerScript(src)).toThrow(/npm run build/)
  })
})
