/**
 * Chooses the TensorFlow.js backend for this process (or worker thread).
 *
 * Order: the `preferred` argument (the engine's `sequence.backend` option; "auto"
 * or none prefers nothing), then `tensorflow` (native, only when the host installed
 * `@tensorflow/tfjs-node`), then `wasm` (`@tensorflow/tfjs-backend-wasm`), then `cpu`.
 * The choice arrives as an argument, never through the environment, so whoever
 * starts a run (the plugin's worker, the CLI, a benchmark) decides it at its edge.
 *
 * Why this shape:
 * - `@tensorflow/tfjs-node` cannot be installed everywhere (its install script
 *   downloads libtensorflow), so it is never a static import: it is `require`d
 *   inside try/catch and used only when present.
 * - In Node the wasm backend must find its `.wasm` files on disk; by default it
 *   would look next to the calling script, so `setWasmPaths` points it at the
 *   package's own `dist/` folder.
 * - `tf.setBackend()` resolves `false` (it does not throw) when a backend fails
 *   to initialise, so every attempt is checked and the next one is tried.
 * - Every tfjs package is pinned to one exact version so a single `tfjs-core`
 *   engine is shared; a mismatch is reported once as a warning.
 */
import * as path from "path"
import * as tf from "@tensorflow/tfjs"
import type { BackendChoice } from "./contract"

export type BackendLogger = (message: string) => void

export interface InitBackendOptions {
  /** Where the chosen backend is reported. @defaultValue console.info */
  logger?: BackendLogger
  /** Where fallbacks are reported. @defaultValue console.warn */
  warn?: BackendLogger
}

/** Backends tried, best first, when nothing is forced. */
export const BACKEND_ORDER = ["tensorflow", "wasm", "cpu"] as const

let current: string | null = null
let pending: Promise<string> | null = null
let lastWanted: string | undefined
const logged = new Set<string>()

/** The backend chosen by `initBackend`, or null before it ran. */
export function currentBackend(): string | null {
  return current
}

function tryRequire(id: string): any | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(id)
  } catch {
    return null
  }
}

/**
 * Loads the optional native backend when the host installed it; requiring it
 * registers the "tensorflow" backend on the tfjs-core it resolves.
 */
function prepareNode(warn: BackendLogger): boolean {
  try {
    require.resolve("@tensorflow/tfjs-node")
  } catch {
    return false // not installed: the normal case, nothing to report
  }
  if (tryRequire("@tensorflow/tfjs-node") == null) {
    warn("[interest] @tensorflow/tfjs-node is installed but failed to load; using another backend")
    return false
  }
  if (tf.findBackendFactory("tensorflow") == null) {
    warn(
      "[interest] @tensorflow/tfjs-node registered its backend on another copy of tfjs-core; " +
        "pin every @tensorflow package to one version"
    )
    return false
  }
  return true
}

let wasmPrepared = false

/** Registers the wasm backend (importing the package does that) and points it at its .wasm files. */
function prepareWasm(warn: BackendLogger): boolean {
  if (wasmPrepared) {
    return true
  }
  const wasm = tryRequire("@tensorflow/tfjs-backend-wasm")
  if (!wasm) {
    return false
  }
  try {
    const pkg = require.resolve("@tensorflow/tfjs-backend-wasm/package.json")
    // The trailing separator matters: the prefix is concatenated with the file name.
    wasm.setWasmPaths(path.join(path.dirname(pkg), "dist") + path.sep)
  } catch (e) {
    warn(`[interest] could not set the wasm paths: ${(e as Error).message}`)
    return false
  }
  const coreVersion = (tf.version as Record<string, string>)["tfjs-core"]
  if (wasm.version_wasm && coreVersion && wasm.version_wasm !== coreVersion) {
    warn(
      `[interest] @tensorflow/tfjs-backend-wasm ${wasm.version_wasm} differs from tfjs-core ${coreVersion}; ` +
        "pin every @tensorflow package to one version"
    )
  }
  wasmPrepared = true
  return true
}

/** Makes `name` available (registering it when it comes from an optional package). */
function prepare(name: string, warn: BackendLogger): boolean {
  switch (name) {
    case "tensorflow":
      return prepareNode(warn)
    case "wasm":
      return prepareWasm(warn)
    default:
      return tf.findBackendFactory(name) != null
  }
}

async function attempt(name: string, warn: BackendLogger): Promise<boolean> {
  if (!prepare(name, warn)) {
    return false
  }
  try {
    const ok = await tf.setBackend(name)
    if (!ok) {
      return false
    }
    await tf.ready()
    return tf.getBackend() === name
  } catch (e) {
    warn(`[interest] tfjs backend "${name}" failed to initialise: ${(e as Error).message}`)
    return false
  }
}

async function choose(wanted: string | undefined, logger: BackendLogger, warn: BackendLogger): Promise<string> {
  const candidates: string[] = []
  if (wanted) {
    candidates.push(wanted)
  }
  for (const name of BACKEND_ORDER) {
    if (!candidates.includes(name)) {
      candidates.push(name)
    }
  }
  for (const name of candidates) {
    // Skip the optional native backend quietly; report only a requested backend that failed.
    if (await attempt(name, warn)) {
      current = name
      if (!logged.has(name)) {
        logged.add(name)
        logger(`[interest] TensorFlow.js backend: ${name}`)
      }
      return name
    }
    if (name === wanted) {
      warn(`[interest] tfjs backend "${name}" (requested) is not available; falling back`)
    }
  }
  throw new Error("No TensorFlow.js backend could be initialised (tried " + candidates.join(", ") + ").")
}

/**
 * Selects and initialises the tfjs backend; returns its name ("tensorflow", "wasm" or "cpu").
 * Idempotent: later calls return the chosen backend without re-initialising, unless a
 * different `preferred` backend is asked for (e.g. a benchmark comparing backends).
 */
export async function initBackend(preferred?: BackendChoice | string, options: InitBackendOptions = {}): Promise<string> {
  const logger = options.logger ?? ((m: string) => console.info(m))
  const warn = options.warn ?? ((m: string) => console.warn(m))
  if (pending) {
    await pending.catch(() => undefined)
  }
  const wanted = preferred && preferred !== "auto" ? preferred : undefined
  // Already initialised for this request (an unavailable wanted backend that fell back
  // counts too: it is not retried, nor warned about, on every call).
  if (current && tf.getBackend() === current && (!wanted || wanted === current || wanted === lastWanted)) {
    return current
  }
  pending = choose(wanted, logger, warn)
  try {
    const name = await pending
    lastWanted = wanted
    return name
  } finally {
    pending = null
  }
}
