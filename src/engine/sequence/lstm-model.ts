/**
 * The next-period interest model: an LSTM over a customer's last `lookback`
 * periods that outputs a distribution over `outputDim` interests.
 *
 *   input  [null, lookback, featureDim]
 *   → Masking(0)            all-zero rows (left padding of short histories) are skipped
 *   → LSTM(units)           [null, units]
 *   → dropout(rate)         training only, seeded per step (applied in the loop, see below)
 *   → Dense(outputDim, softmax)  [null, outputDim]
 *
 * Loss: categorical cross-entropy against soft targets, weighted per sample
 * (`weight` × the target's mass, so all-zero targets count for nothing), Adam.
 *
 * Training uses its own loop rather than `model.fit` because tfjs' `fit` has no
 * sample weights, no restore-best-weights early stopping and no abort between
 * batches. Dropout lives in that loop (`tf.dropout` with a per-step seed) rather
 * than as a `tf.layers.dropout` layer, whose fixed seed would draw the same mask
 * on every batch; the saved graph is therefore the inference graph.
 */
import * as tf from "@tensorflow/tfjs"
import type {
  FitCallbacks,
  FitReport,
  SequenceModel,
  SequenceModelOptions,
  SequenceSample,
  SequenceRuntime,
  SerializedSequenceModel,
  TrainingProgress,
} from "./contract"
import { currentBackend, initBackend } from "./backend"
import { PackedSamples, packSamples, packSteps, takeSamples } from "./data"
import { FINE_TUNE_DEFAULTS, SequenceModelInput, resolveSequenceModelOptions } from "./options"
import { SeededRandom } from "../util/random"
import { orthogonalMatrix } from "./orthogonal"
import { yieldToEventLoop } from "../util/yield"

export const SERIALIZED_FORMAT = "medusa-interest-lstm/1" as const

const LAYER_NAMES = { mask: "interest_mask", lstm: "interest_lstm", head: "interest_head" } as const

/** Avoids log(0) in the cross-entropy. */
const EPSILON = 1e-7
/** A validation loss must improve by this much (relative) to count as better. */
const MIN_RELATIVE_IMPROVEMENT = 1e-4
/** Rows per predict() batch. */
const PREDICT_BATCH = 1024
/** An LSTM's kernels hold its input, forget, cell and output gates side by side. */
const LSTM_GATES = 4
/**
 * Offsets added to the model's seed, one stream per initialiser and training phase:
 * fine-tuning must not replay fit()'s shuffles, nor a dropout mask a split.
 */
const MODEL_SEED_OFFSETS = { headKernel: 1, recurrentKernel: 2, fineTune: 7919, dropout: 1000 } as const

export type FineTuneOverrides = Partial<Pick<SequenceModelOptions, "epochs" | "learningRate" | "patience">>

/** An Error named "AbortError", as DOM `AbortSignal` users expect. */
export function abortError(message = "Sequence model training was aborted."): Error {
  const e = new Error(message)
  e.name = "AbortError"
  return e
}

/** Lets timers, I/O and worker messages run between training steps (microtasks alone would not). */
/**
 * Builds the layers model.
 * @returns a model mapping [null, lookback, featureDim] → [null, outputDim].
 */
function buildLayersModel(o: SequenceModelOptions): tf.LayersModel {
  const input = tf.input({ shape: [o.lookback, o.featureDim], name: "interest_input" })
  const masked = tf.layers.masking({ maskValue: 0, name: LAYER_NAMES.mask }).apply(input) as tf.SymbolicTensor
  const lstm = tf.layers.lstm({
    units: o.units,
    name: LAYER_NAMES.lstm,
    kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed }),
    // Replaced right after build by a seeded orthogonal matrix (see setOrthogonalRecurrentKernel).
    recurrentInitializer: "zeros",
    unitForgetBias: true,
  })
  const encoded = lstm.apply(masked) as tf.SymbolicTensor
  const head = tf.layers.dense({
    units: o.outputDim,
    activation: "softmax",
    name: LAYER_NAMES.head,
    kernelInitializer: tf.initializers.glorotUniform({ seed: o.seed + MODEL_SEED_OFFSETS.headKernel }),
  })
  const output = head.apply(encoded) as tf.SymbolicTensor
  const model = tf.model({ inputs: input, outputs: output, name: "interest_sequence_model" })
  setOrthogonalRecurrentKernel(model, o)
  return model
}

function setOrthogonalRecurrentKernel(model: tf.LayersModel, o: SequenceModelOptions): void {
  const lstm = model.getLayer(LAYER_NAMES.lstm)
  const weights = lstm.getWeights() // [kernel, recurrentKernel, bias]
  const shape: [number, number] = [o.units, LSTM_GATES * o.units]
  const recurrent = tf.tensor2d(orthogonalMatrix(shape[0], shape[1], o.seed + MODEL_SEED_OFFSETS.recurrentKernel), shape)
  lstm.setWeights([weights[0], recurrent, weights[2]])
  recurrent.dispose()
}

interface PhaseConfig {
  epochs: number
  learningRate: number
  patience: number
  /** Seed offset so fine-tuning does not replay fit()'s shuffles and masks. */
  seedOffset: number
}

/** The tfjs implementation of the contract's SequenceModel. */
export class LstmSequenceModel implements SequenceModel {
  readonly options: SequenceModelOptions
  private model: tf.LayersModel
  /** The same layers from input to LSTM output ([null, units]), for the training loop. */
  private encoder: tf.LayersModel
  private training = false
  private disposed = false
  private disposeWhenIdle = false

  constructor(options: SequenceModelOptions, model: tf.LayersModel) {
    this.options = Object.freeze({ ...options })
    this.model = model
    const lstm = model.getLayer(LAYER_NAMES.lstm)
    this.encoder = tf.model({ inputs: model.inputs, outputs: lstm.output as tf.SymbolicTensor })
  }

  /** The underlying tfjs model (read-only use: tests, summaries). */
  get layersModel(): tf.LayersModel {
    return this.model
  }

  /** Current weights of the LSTM layer and of the head, as plain arrays (for tests and diagnostics). */
  layerWeights(which: "lstm" | "head"): Float32Array[] {
    const layer = this.model.getLayer(LAYER_NAMES[which])
    return layer.getWeights().map((w) => w.dataSync() as Float32Array).map((a) => Float32Array.from(a))
  }

  /**
   * Trains on `train` (the first `validationSplit` of a seeded permutation held out).
   * Early stopping watches the validation loss (the training loss when nothing is
   * held out, and then `bestValLoss` is NaN) and restores the best epoch's weights.
   */
  async fit(train: SequenceSample[], callbacks: FitCallbacks = {}): Promise<FitReport> {
    this.assertUsable()
    const packed = packSamples(train, this.options, true)
    return this.fitPacked(packed, callbacks)
  }

  /** fit() on samples already packed (the worker thread receives them packed). */
  async fitPacked(packed: PackedSamples, callbacks: FitCallbacks = {}): Promise<FitReport> {
    this.assertUsable()
    const o = this.options
    return this.runPhase(
      packed,
      { epochs: o.epochs, learningRate: o.learningRate, patience: o.patience, seedOffset: 0 },
      false,
      callbacks
    )
  }

  async fineTune(
    target: SequenceSample[],
    overrides: FineTuneOverrides = {},
    callbacks: FitCallbacks = {}
  ): Promise<FitReport> {
    this.assertUsable()
    const packed = packSamples(target, this.options, true)
    return this.fineTunePacked(packed, overrides, callbacks)
  }

  /** fineTune() on samples already packed. */
  async fineTunePacked(
    packed: PackedSamples,
    overrides: FineTuneOverrides = {},
    callbacks: FitCallbacks = {}
  ): Promise<FitReport> {
    this.assertUsable()
    const o = this.options
    const config: PhaseConfig = {
      epochs: overrides.epochs ?? Math.max(1, Math.ceil(o.epochs * FINE_TUNE_DEFAULTS.epochsFactor)),
      learningRate: overrides.learningRate ?? o.learningRate * FINE_TUNE_DEFAULTS.learningRateFactor,
      patience: overrides.patience ?? o.patience,
      seedOffset: MODEL_SEED_OFFSETS.fineTune,
    }
    // Validates the overrides with the same messages as the options.
    resolveSequenceModelOptions({ ...o, epochs: config.epochs, learningRate: config.learningRate, patience: config.patience })
    const lstm = this.model.getLayer(LAYER_NAMES.lstm)
    // Freeze the recurrent layer: only the head's variables are handed to the optimizer
    // (a fresh Adam, the custom-loop equivalent of recompiling). Unfrozen afterwards so
    // a later fit() trains the whole network again.
    lstm.trainable = false
    try {
      return await this.runPhase(packed, config, true, callbacks)
    } finally {
      lstm.trainable = true
    }
  }

  async predict(steps: number[][][]): Promise<number[][]> {
    this.assertUsable()
    const packed = packSteps(steps, this.options)
    return this.predictPacked(packed)
  }

  /** predict() on packed inputs; returns [n][outputDim]. */
  async predictPacked(packed: PackedSamples): Promise<number[][]> {
    const { lookback, featureDim, outputDim } = this.options
    const rows: number[][] = []
    for (let start = 0; start < packed.n; start += PREDICT_BATCH) {
      const end = Math.min(packed.n, start + PREDICT_BATCH)
      const size = end - start
      const out = tf.tidy(() => {
        const x = tf.tensor3d(packed.x.subarray(start * lookback * featureDim, end * lookback * featureDim), [
          size,
          lookback,
          featureDim,
        ])
        return this.model.predict(x) as tf.Tensor2D
      })
      const data = await out.data()
      out.dispose()
      for (let i = 0; i < size; i++) {
        rows.push(Array.from(data.subarray(i * outputDim, (i + 1) * outputDim)))
      }
    }
    return rows
  }

  async serialize(): Promise<SerializedSequenceModel> {
    this.assertUsable()
    let captured: tf.io.ModelArtifacts | null = null
    await this.model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        captured = artifacts
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } }
      })
    )
    const artifacts = captured as tf.io.ModelArtifacts | null
    if (!artifacts || !artifacts.weightData || !artifacts.weightSpecs) {
      throw new Error("Saving the sequence model produced no weights.")
    }
    const weightData = tf.io.CompositeArrayBuffer.join(artifacts.weightData)
    return {
      format: SERIALIZED_FORMAT,
      options: { ...this.options },
      topology: artifacts.modelTopology,
      weightSpecs: artifacts.weightSpecs,
      weightData: Buffer.from(weightData).toString("base64"),
    }
  }

  /** Frees the weights. During training (e.g. right after an abort) it happens when the loop stops. */
  dispose(): void {
    if (this.disposed) {
      return
    }
    if (this.training) {
      this.disposeWhenIdle = true
      return
    }
    this.disposed = true
    // encoder shares the model's layers and variables: disposing the model frees them.
    this.model.dispose()
  }

  private assertUsable(): void {
    if (this.disposed || this.disposeWhenIdle) {
      throw new Error("The sequence model was disposed.")
    }
  }

  /**
   * The training loop shared by fit() and fineTune(): seeded split and shuffles,
   * weighted soft-target cross-entropy, early stopping that restores the best
   * weights, progress per epoch, abort between batches (weights restored to
   * their state before the call).
   */
  private async runPhase(
    data: PackedSamples,
    config: PhaseConfig,
    headOnly: boolean,
    callbacks: FitCallbacks
  ): Promise<FitReport> {
    if (this.training) {
      throw new Error("This sequence model is already training.")
    }
    if (data.n === 0) {
      throw new Error("Cannot train the sequence model on zero samples.")
    }
    if (!data.y || !data.w) {
      throw new Error("Training samples need targets.")
    }
    const { signal, onProgress } = callbacks
    if (signal?.aborted) {
      throw abortError()
    }
    const o = this.options
    const started = Date.now()
    const random = new SeededRandom(o.seed + config.seedOffset)

    // Deterministic validation split: a seeded permutation, the first part held out.
    const order = random.shuffle(Array.from({ length: data.n }, (_, i) => i))
    let valCount = Math.round(data.n * o.validationSplit)
    if (valCount >= data.n) {
      valCount = data.n - 1
    }
    const val = valCount > 0 ? takeSamples(data, order.slice(0, valCount)) : null
    const train = valCount > 0 ? takeSamples(data, order.slice(valCount)) : data

    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable)
    if (headOnly && variables.length === this.model.weights.length) {
      throw new Error("fineTune: the LSTM layer could not be frozen.")
    }
    this.training = true
    const optimizer = tf.train.adam(config.learningRate)
    const initial = this.snapshotWeights()
    let best: tf.Tensor[] | null = null
    let bestMonitor = Infinity
    let bestValLoss = NaN
    let sinceBest = 0
    let epochsRun = 0
    let finalLoss = NaN
    let stoppedEarly = false
    let step = 0
    const epochTimes: number[] = []
    try {
      for (let epoch = 1; epoch <= config.epochs; epoch++) {
        const epochStart = Date.now()
        const indices = random.shuffle(Array.from({ length: train.n }, (_, i) => i))
        let lossSum = 0
        let massSum = 0
        for (let start = 0; start < train.n; start += o.batchSize) {
          if (signal?.aborted) {
            throw abortError()
          }
          const batch = takeSamples(train, indices.slice(start, start + o.batchSize))
          const mass = sum(batch.w!)
          if (mass > 0) {
            const dropoutSeed = o.seed + config.seedOffset + MODEL_SEED_OFFSETS.dropout + step
            const loss = await this.trainStep(optimizer, variables, batch, dropoutSeed)
            lossSum += loss * mass
            massSum += mass
          }
          step++
          await yieldToEventLoop()
        }
        if (signal?.aborted) {
          throw abortError()
        }
        const loss = massSum > 0 ? lossSum / massSum : 0
        const valLoss = val ? await this.evaluateLoss(val) : undefined
        epochsRun = epoch
        finalLoss = loss
        epochTimes.push(Date.now() - epochStart)

        const monitor = valLoss ?? loss
        if (monitor < bestMonitor - Math.abs(bestMonitor) * MIN_RELATIVE_IMPROVEMENT || best === null) {
          bestMonitor = monitor
          if (valLoss !== undefined) {
            bestValLoss = valLoss
          }
          sinceBest = 0
          disposeAll(best)
          best = this.snapshotWeights()
        } else {
          sinceBest++
        }
        const meanEpochMs = epochTimes.reduce((a, b) => a + b, 0) / epochTimes.length
        // Keras' semantics: stop after `patience` epochs in a row without improvement.
        const willStop = sinceBest > 0 && sinceBest >= config.patience
        const progress: TrainingProgress = {
          epoch,
          epochs: config.epochs,
          loss,
          valLoss,
          etaMs: willStop ? 0 : Math.round(meanEpochMs * (config.epochs - epoch)),
        }
        onProgress?.(progress)
        if (willStop) {
          stoppedEarly = epoch < config.epochs
          break
        }
      }
      if (best) {
        this.model.setWeights(best)
      }
      return {
        epochsRun,
        bestValLoss,
        finalLoss,
        stoppedEarly,
        durationMs: Date.now() - started,
        backend: tf.getBackend(),
      }
    } catch (e) {
      // An aborted or failed run leaves the model as it was before the call.
      this.model.setWeights(initial)
      throw e
    } finally {
      disposeAll(best)
      disposeAll(initial)
      optimizer.dispose()
      this.training = false
      if (this.disposeWhenIdle) {
        this.dispose()
      }
    }
  }

  /** One optimizer step on a batch; returns the batch's weighted mean loss. */
  private async trainStep(
    optimizer: tf.Optimizer,
    variables: tf.Variable[],
    batch: PackedSamples,
    dropoutSeed: number
  ): Promise<number> {
    const o = this.options
    const x = tf.tensor3d(batch.x, [batch.n, o.lookback, o.featureDim])
    const y = tf.tensor2d(batch.y!, [batch.n, o.outputDim])
    const w = tf.tensor1d(batch.w!)
    try {
      const cost = optimizer.minimize(
        () => {
          const encoded = this.encoder.apply(x, { training: true }) as tf.Tensor2D
          const dropped = o.dropout > 0 ? tf.dropout(encoded, o.dropout, undefined, dropoutSeed) : encoded
          const probs = this.model.getLayer(LAYER_NAMES.head).apply(dropped) as tf.Tensor2D
          return weightedCrossEntropy(y, probs, w)
        },
        true,
        variables
      )
      if (!cost) {
        throw new Error("The optimizer returned no loss.")
      }
      const value = (await cost.data())[0]
      cost.dispose()
      if (!Number.isFinite(value)) {
        throw new Error(`Training diverged (loss ${value}); try a lower learningRate.`)
      }
      return value
    } finally {
      x.dispose()
      y.dispose()
      w.dispose()
    }
  }

  /** Weighted mean cross-entropy of the model (inference mode) on a packed set. */
  private async evaluateLoss(data: PackedSamples): Promise<number> {
    const o = this.options
    let lossSum = 0
    let massSum = 0
    for (let start = 0; start < data.n; start += PREDICT_BATCH) {
      const end = Math.min(data.n, start + PREDICT_BATCH)
      const size = end - start
      const mass = sum(data.w!.subarray(start, end))
      if (mass === 0) {
        continue
      }
      const t = tf.tidy(() => {
        const x = tf.tensor3d(data.x.subarray(start * o.lookback * o.featureDim, end * o.lookback * o.featureDim), [
          size,
          o.lookback,
          o.featureDim,
        ])
        const y = tf.tensor2d(data.y!.subarray(start * o.outputDim, end * o.outputDim), [size, o.outputDim])
        const w = tf.tensor1d(data.w!.subarray(start, end))
        return weightedCrossEntropy(y, this.model.predict(x) as tf.Tensor2D, w)
      })
      const value = (await t.data())[0]
      t.dispose()
      lossSum += value * mass
      massSum += mass
    }
    return massSum > 0 ? lossSum / massSum : 0
  }

  private snapshotWeights(): tf.Tensor[] {
    return tf.tidy(() => this.model.getWeights().map((w) => w.clone()))
  }
}

/**
 * loss = Σ_i w_i · (−Σ_k y_ik · log p_ik) / Σ_i w_i · Σ_k y_ik
 * (the mass term makes all-zero targets weigh nothing; for targets summing to 1
 * it is the usual weighted mean).
 */
function weightedCrossEntropy(y: tf.Tensor2D, p: tf.Tensor2D, w: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const mass = tf.sum(y, -1)
    const perSample = tf.neg(tf.sum(tf.mul(y, tf.log(tf.clipByValue(p, EPSILON, 1))), -1))
    // w already includes each target's mass (packSamples); divide it back out per sample
    // so the numerator is w_i · CE_i with the raw sample weight.
    const rawWeight = tf.divNoNan(w, mass)
    const numerator = tf.sum(tf.mul(rawWeight, perSample))
    const denominator = tf.maximum(tf.sum(w), EPSILON)
    return tf.div(numerator, denominator) as tf.Scalar
  })
}

function sum(a: ArrayLike<number>): number {
  let s = 0
  for (let i = 0; i < a.length; i++) {
    s += a[i]
  }
  return s
}

function disposeAll(tensors: tf.Tensor[] | null): void {
  tensors?.forEach((t) => t.dispose())
}

/** Initialises the backend on first use, or switches when the runtime names another one. */
async function ensureBackend(runtime: SequenceRuntime): Promise<void> {
  const asked = runtime.backend && runtime.backend !== "auto" ? runtime.backend : undefined
  if (currentBackend() == null || (asked && asked !== currentBackend())) {
    await initBackend(asked)
  }
}

/**
 * Creates an untrained model with seeded weights. Initialises the tfjs backend
 * `runtime` asks for (see `initBackend`) on first use.
 */
export async function createSequenceModel(options: SequenceModelInput, runtime: SequenceRuntime = {}): Promise<LstmSequenceModel> {
  const o = resolveSequenceModelOptions(options)
  await ensureBackend(runtime)
  // A scope frees the initialisers' temporaries (e.g. unitForgetBias' concatenated
  // bias, 4 tensors per model otherwise leaked); variables are not scope-tracked.
  tf.engine().startScope()
  try {
    return new LstmSequenceModel(o, buildLayersModel(o))
  } finally {
    tf.engine().endScope()
  }
}

/** Rebuilds a model saved by `serialize()`; predictions are identical to the saved model's. */
export async function loadSequenceModel(s: SerializedSequenceModel, runtime: SequenceRuntime = {}): Promise<LstmSequenceModel> {
  if (!s || s.format !== SERIALIZED_FORMAT) {
    throw new Error(`Unknown serialized sequence model format: ${s ? String(s.format) : s}.`)
  }
  const o = resolveSequenceModelOptions(s.options)
  await ensureBackend(runtime)
  const bytes = Buffer.from(s.weightData, "base64")
  const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      // Copied through JSON so the arrays belong to this realm: tfjs-layers tests
      // `instanceof Array`, which fails for objects built in another context
      // (a worker's structured clone seen from a vm sandbox such as jest's).
      modelTopology: JSON.parse(JSON.stringify(s.topology)) as tf.io.ModelArtifacts["modelTopology"],
      weightSpecs: JSON.parse(JSON.stringify(s.weightSpecs)) as tf.io.WeightsManifestEntry[],
      weightData,
    })
  )
  const input = model.inputs[0].shape
  if (input[1] !== o.lookback || input[2] !== o.featureDim || (model.outputs[0].shape[1] as number) !== o.outputDim) {
    model.dispose()
    throw new Error("The serialized topology does not match its options (lookback, featureDim, outputDim).")
  }
  return new LstmSequenceModel(o, model)
}
