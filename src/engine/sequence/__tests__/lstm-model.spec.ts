import * as tf from "@tensorflow/tfjs"
import type { SequenceSample, SerializedSequenceModel, TrainingProgress } from "../contract"
import { DEFAULT_SEQUENCE_OPTIONS, createSequenceModel, initBackend, loadSequenceModel } from ".."
import { takeSamples, packSamples } from "../data"
import { SeededRandom } from "../../util/random"
import {
  SYMBOLS,
  argmax,
  crossEntropy,
  noiseSamples,
  oneHot,
  secondOrderWindows,
  toSamples,
} from "../__fixtures__/sequences"

jest.setTimeout(30_000)

const quiet = { logger: () => undefined }

beforeAll(async () => {
  await initBackend(undefined, quiet)
})

describe("createSequenceModel", () => {
  it("maps [n, lookback, featureDim] to [n, outputDim] distributions", async () => {
    const model = await createSequenceModel({ lookback: 5, featureDim: 3, outputDim: 4, units: 6 })
    try {
      const layers = model.layersModel
      expect(layers.inputs[0].shape).toEqual([null, 5, 3])
      expect(layers.outputs[0].shape).toEqual([null, 4])
      expect(layers.layers.map((l) => l.getClassName())).toEqual(["InputLayer", "Masking", "LSTM", "Dense"])
      // What was not given comes from the one table of defaults.
      expect(model.options).toEqual({ ...DEFAULT_SEQUENCE_OPTIONS, lookback: 5, featureDim: 3, outputDim: 4, units: 6 })

      const steps = noiseSamples(7, 5, 3, 4, 1).map((s) => s.steps)
      const out = await model.predict(steps)
      expect(out).toHaveLength(7)
      for (const row of out) {
        expect(row).toHaveLength(4)
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
        row.forEach((p) => expect(p).toBeGreaterThan(0))
      }
      expect(await model.predict([])).toEqual([])
    } finally {
      model.dispose()
    }
  })

  it("rejects bad options and wrongly shaped samples with readable errors", async () => {
    await expect(createSequenceModel({ featureDim: 0, outputDim: 3 })).rejects.toThrow(/featureDim/)
    await expect(createSequenceModel({ featureDim: 2, outputDim: 3, validationSplit: 1 })).rejects.toThrow(
      /validationSplit/
    )
    const model = await createSequenceModel({ lookback: 3, featureDim: 2, outputDim: 2, units: 4 })
    try {
      await expect(model.predict([[[1, 0]]])).rejects.toThrow(/Sample 0: expected 3 steps/)
      await expect(
        model.fit([{ steps: [[1, 0], [0, 1], [1, 1, 1]], target: [1, 0] }])
      ).rejects.toThrow(/step 2: expected 2 features/)
      await expect(model.fit([{ steps: [[1, 0], [0, 1], [1, 1]] }])).rejects.toThrow(/target/)
    } finally {
      model.dispose()
    }
  })

  it("treats all-zero (left-padding) rows as absent: [0,0,a,b] predicts like [a,b] with lookback 2", async () => {
    const long = await createSequenceModel({ lookback: 4, featureDim: 6, outputDim: 6, units: 8, seed: 3, epochs: 2 })
    const short = await createSequenceModel({ lookback: 2, featureDim: 6, outputDim: 6, units: 8, seed: 3 })
    try {
      // Trained weights (non-zero biases: with fresh zero biases even an unmasked LSTM
      // keeps a zero state on zero rows), copied to the short model: the weight shapes
      // do not depend on the lookback.
      await long.fit(toSamples(secondOrderWindows(64, 1)))
      short.layersModel.setWeights(long.layersModel.getWeights())
      const zero = new Array(6).fill(0)
      const [padded] = await long.predict([[zero, zero, oneHot("A"), oneHot("B")]])
      const [bare] = await short.predict([[oneHot("A"), oneHot("B")]])
      padded.forEach((p, k) => expect(p).toBeCloseTo(bare[k], 6))
      // ...whereas a non-zero row in front does change the prediction.
      const [other] = await long.predict([[zero, oneHot("C"), oneHot("A"), oneHot("B")]])
      expect(Math.max(...other.map((p, k) => Math.abs(p - bare[k])))).toBeGreaterThan(1e-4)
    } finally {
      long.dispose()
      short.dispose()
    }
  })
})

describe("fit", () => {
  it("lowers the loss, reports progress in order and frees its tensors", async () => {
    const samples = toSamples(secondOrderWindows(240, 11))
    const model = await createSequenceModel({
      lookback: 4,
      featureDim: 6,
      outputDim: 6,
      units: 12,
      epochs: 6,
      batchSize: 32,
      patience: 10,
    })
    try {
      const targets = samples.map((s) => s.target!)
      const before = crossEntropy(targets, await model.predict(samples.map((s) => s.steps)))
      const tensorsBefore = tf.memory().numTensors
      const progress: TrainingProgress[] = []
      const report = await model.fit(samples, { onProgress: (p) => progress.push(p) })
      expect(tf.memory().numTensors).toBe(tensorsBefore)

      expect(progress.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6])
      progress.forEach((p) => {
        expect(p.epochs).toBe(6)
        expect(p.valLoss).toEqual(expect.any(Number))
        expect(p.etaMs).toBeGreaterThanOrEqual(0)
      })
      expect(progress[5].etaMs).toBe(0)
      expect(progress[5].loss).toBeLessThan(progress[0].loss * 0.8)
      expect(report).toMatchObject({ epochsRun: 6, stoppedEarly: false, backend: tf.getBackend() })
      expect(report.finalLoss).toBeCloseTo(progress[5].loss, 10)
      expect(report.bestValLoss).toBe(Math.min(...progress.map((p) => p.valLoss!)))

      const after = crossEntropy(targets, await model.predict(samples.map((s) => s.steps)))
      expect(after).toBeLessThan(before * 0.8)
    } finally {
      model.dispose()
    }
  })

  it("is deterministic for a given seed", async () => {
    const samples = toSamples(secondOrderWindows(120, 5))
    const options = { lookback: 4, featureDim: 6, outputDim: 6, units: 8, epochs: 3, batchSize: 32, seed: 9 }
    const run = async (seed: number): Promise<number[][]> => {
      const m = await createSequenceModel({ ...options, seed })
      try {
        await m.fit(samples)
        return await m.predict(samples.slice(0, 10).map((s) => s.steps))
      } finally {
        m.dispose()
      }
    }
    const a = await run(9)
    const b = await run(9)
    const c = await run(10)
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
  })

  it("stops early and restores the best epoch's weights", async () => {
    // Random targets: the validation loss gets worse once the model starts memorising.
    const samples = noiseSamples(160, 4, 6, 5, 21)
    const options = {
      lookback: 4,
      featureDim: 6,
      outputDim: 5,
      units: 24,
      epochs: 40,
      batchSize: 16,
      learningRate: 0.03,
      dropout: 0,
      patience: 2,
      validationSplit: 0.25,
      seed: 4,
    }
    const model = await createSequenceModel(options)
    try {
      const progress: TrainingProgress[] = []
      const report = await model.fit(samples, { onProgress: (p) => progress.push(p) })
      const valLosses = progress.map((p) => p.valLoss!)
      expect(report.stoppedEarly).toBe(true)
      expect(report.epochsRun).toBeLessThan(40)
      const bestEpoch = valLosses.indexOf(Math.min(...valLosses))
      expect(report.bestValLoss).toBe(valLosses[bestEpoch])
      expect(report.epochsRun).toBe(bestEpoch + 1 + options.patience)
      expect(valLosses[valLosses.length - 1]).toBeGreaterThan(report.bestValLoss)

      // Rebuild the held-out part the way fit() splits (seeded permutation, first 25 %),
      // and check the restored weights give the best epoch's validation loss, not the last one's.
      const order = new SeededRandom(options.seed).shuffle(Array.from({ length: samples.length }, (_, i) => i))
      const valIdx = order.slice(0, Math.round(samples.length * options.validationSplit))
      const val = valIdx.map((i) => samples[i])
      const loss = crossEntropy(
        val.map((s) => s.target!),
        await model.predict(val.map((s) => s.steps))
      )
      expect(loss).toBeCloseTo(report.bestValLoss, 4)
      // sanity: the packing helpers agree on that subset
      expect(takeSamples(packSamples(samples, options, true), valIdx).n).toBe(val.length)
    } finally {
      model.dispose()
    }
  })

  it("rejects with an AbortError when aborted, and keeps the weights it had before", async () => {
    const samples = noiseSamples(200, 4, 6, 5, 2)
    const model = await createSequenceModel({ lookback: 4, featureDim: 6, outputDim: 5, units: 8, epochs: 50, batchSize: 8 })
    try {
      const probe = samples.slice(0, 5).map((s) => s.steps)
      const before = await model.predict(probe)

      // aborted from a progress callback
      const ac = new AbortController()
      const epochs: number[] = []
      const p = model.fit(samples, {
        signal: ac.signal,
        onProgress: (pr) => {
          epochs.push(pr.epoch)
          if (pr.epoch === 2) {
            ac.abort()
          }
        },
      })
      await expect(p).rejects.toMatchObject({ name: "AbortError" })
      expect(epochs).toEqual([1, 2])
      expect(await model.predict(probe)).toEqual(before)

      // aborted by a timer in the middle of an epoch: the loop yields between batches
      const ac2 = new AbortController()
      const seen: number[] = []
      setTimeout(() => ac2.abort(), 30)
      await expect(model.fit(samples, { signal: ac2.signal, onProgress: (pr) => seen.push(pr.epoch) })).rejects.toThrow(
        expect.objectContaining({ name: "AbortError" })
      )
      expect(seen.length).toBeLessThan(50)

      // already aborted
      const ac3 = new AbortController()
      ac3.abort()
      await expect(model.fit(samples, { signal: ac3.signal })).rejects.toMatchObject({ name: "AbortError" })

      // the model is still usable afterwards
      expect((await model.fit(samples.slice(0, 40), {})).epochsRun).toBeGreaterThan(0)
    } finally {
      model.dispose()
    }
  })

  it("dispose() during training takes effect when the loop stops, leaking no tensors", async () => {
    const baseline = tf.memory().numTensors
    const model = await createSequenceModel({ lookback: 4, featureDim: 6, outputDim: 5, units: 8, epochs: 50, batchSize: 8 })
    const ac = new AbortController()
    const run = model.fit(noiseSamples(100, 4, 6, 5, 3), {
      signal: ac.signal,
      onProgress: () => {
        ac.abort()
        model.dispose()
      },
    })
    await expect(run).rejects.toMatchObject({ name: "AbortError" })
    expect(tf.memory().numTensors).toBe(baseline)
    await expect(model.predict([])).rejects.toThrow(/disposed/)
  })
})

describe("serialize / loadSequenceModel", () => {
  it("round-trips through JSON with identical predictions", async () => {
    const samples = toSamples(secondOrderWindows(100, 8))
    const model = await createSequenceModel({ lookback: 4, featureDim: 6, outputDim: 6, units: 10, epochs: 2 })
    let loaded: Awaited<ReturnType<typeof loadSequenceModel>> | null = null
    try {
      await model.fit(samples)
      const saved = await model.serialize()
      expect(saved.format).toBe("medusa-interest-lstm/1")
      expect(saved.options).toEqual(model.options)
      expect(typeof saved.weightData).toBe("string")
      const json = JSON.stringify(saved)
      loaded = await loadSequenceModel(JSON.parse(json) as SerializedSequenceModel)
      expect(loaded.options).toEqual(model.options)
      const steps = samples.map((s) => s.steps)
      expect(await loaded.predict(steps)).toEqual(await model.predict(steps))

      // the loaded model trains further (not frozen) and serializes again
      await loaded.fit(samples.slice(0, 40))
      expect((await loaded.serialize()).weightData).not.toBe(saved.weightData)

      await expect(loadSequenceModel({ ...saved, format: "other" as never })).rejects.toThrow(/format/)
    } finally {
      model.dispose()
      loaded?.dispose()
    }
  })
})

describe("fineTune", () => {
  it("leaves the LSTM weights unchanged and trains the head", async () => {
    const model = await createSequenceModel({ lookback: 4, featureDim: 6, outputDim: 6, units: 8, epochs: 6 })
    try {
      await model.fit(toSamples(secondOrderWindows(120, 1)))
      const lstmBefore = model.layerWeights("lstm")
      const headBefore = model.layerWeights("head")
      const target = noiseSamples(60, 4, 6, 6, 3)
      const progress: TrainingProgress[] = []
      const report = await model.fineTune(target, undefined, { onProgress: (p) => progress.push(p) })
      // defaults: a third of the epochs
      expect(progress.map((p) => p.epoch)).toEqual([1, 2])
      expect(report.epochsRun).toBe(2)

      const lstmAfter = model.layerWeights("lstm")
      const headAfter = model.layerWeights("head")
      lstmAfter.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(lstmBefore[i])))
      const headDelta = headAfter.map((w, i) => Math.max(...w.map((v, j) => Math.abs(v - headBefore[i][j]))))
      expect(Math.max(...headDelta)).toBeGreaterThan(1e-4)

      // unfrozen afterwards: a later fit trains the LSTM again
      expect(model.layersModel.getLayer("interest_lstm").trainable).toBe(true)
      await model.fineTune(target, { epochs: 1, learningRate: 0.01 })
      lstmAfter.forEach((w, i) => expect(Array.from(model.layerWeights("lstm")[i])).toEqual(Array.from(w)))
      await model.fit(target.slice(0, 30))
      const changed = model.layerWeights("lstm").some((w, i) => w.some((v, j) => v !== lstmAfter[i][j]))
      expect(changed).toBe(true)

      await expect(model.fineTune(target, { epochs: 0 })).rejects.toThrow(/epochs/)
    } finally {
      model.dispose()
    }
  })
})

describe("quality: a second-order pattern", () => {
  it("the LSTM predicts the step after B far better than the best first-order Markov chain", async () => {
    const train = secondOrderWindows(400, 101)
    const test = secondOrderWindows(300, 202)

    // Best first-order Markov chain: for each last symbol, the most frequent next symbol in training.
    const counts = new Map<string, Map<string, number>>()
    for (const { window, next } of train) {
      const last = window[window.length - 1]
      const row = counts.get(last) ?? new Map<string, number>()
      row.set(next, (row.get(next) ?? 0) + 1)
      counts.set(last, row)
    }
    const markov = (last: string): string => [...counts.get(last)!.entries()].sort((a, b) => b[1] - a[1])[0][0]

    const afterB = test.filter((w) => w.window[3] === "B")
    expect(afterB.length).toBeGreaterThan(100)
    const markovAcc = afterB.filter((w) => markov("B") === w.next).length / afterB.length

    const options = { featureDim: 6, outputDim: 6, units: 16, epochs: 8, batchSize: 32, learningRate: 0.02 }
    const accuracy = async (lookback: number): Promise<number> => {
      const model = await createSequenceModel({ ...options, lookback })
      try {
        const cut = (w: { window: string[] }): number[][] => w.window.slice(4 - lookback).map((s) => oneHot(s as never))
        await model.fit(train.map((w) => ({ steps: cut(w), target: oneHot(w.next) })))
        const probs = await model.predict(afterB.map(cut))
        return probs.filter((p, i) => SYMBOLS[argmax(p)] === afterB[i].next).length / afterB.length
      } finally {
        model.dispose()
      }
    }
    const lstmAcc = await accuracy(4)
    // Negative control: the same model seeing only the last step is a first-order model
    // and must do no better than the Markov chain (so the gap above comes from the memory).
    const lastStepAcc = await accuracy(1)

    expect(markovAcc).toBeLessThan(0.65)
    expect(lastStepAcc).toBeLessThan(0.65)
    expect(lstmAcc).toBeGreaterThan(0.9)
    expect(lstmAcc - markovAcc).toBeGreaterThan(0.3)
  })
})
