import * as tf from "@tensorflow/tfjs"
import { currentBackend, initBackend } from "../backend"
import { createSequenceModel } from "../lstm-model"

describe("initBackend", () => {
  it("picks wasm when tfjs-node is not installed, logs once, and is idempotent", async () => {
    let nodeInstalled = true
    try {
      require.resolve("@tensorflow/tfjs-node")
    } catch {
      nodeInstalled = false
    }
    const logger = jest.fn()
    const first = await initBackend(undefined, { logger })
    expect(first).toBe(nodeInstalled ? "tensorflow" : "wasm")
    expect(tf.getBackend()).toBe(first)
    expect(currentBackend()).toBe(first)
    const second = await initBackend(undefined, { logger })
    const [third, fourth] = await Promise.all([initBackend(undefined, { logger }), initBackend(undefined, { logger })])
    expect([second, third, fourth]).toEqual([first, first, first])
    expect(logger).toHaveBeenCalledTimes(1)
    expect(logger.mock.calls[0][0]).toContain(first)
    // the wasm backend really computes
    expect(Array.from(await tf.square(tf.tensor1d([1, 2, 3])).data())).toEqual([1, 4, 9])
  })

  it("falls back when setBackend resolves false for the requested backend", async () => {
    // A registered backend whose factory throws: tf.setBackend() resolves false, it does not throw.
    tf.registerBackend("broken-for-test", () => {
      throw new Error("no such device")
    })
    const warn = jest.fn()
    const tfWarn = jest.spyOn(console, "warn").mockImplementation(() => undefined)
    try {
      expect(await tf.setBackend("broken-for-test")).toBe(false)
      const name = await initBackend("broken-for-test", { logger: jest.fn(), warn })
      expect(["tensorflow", "wasm"]).toContain(name)
      expect(tf.getBackend()).toBe(name)
      expect(warn.mock.calls.map((c) => c[0]).join("\n")).toMatch(/broken-for-test.*not available/)
    } finally {
      tfWarn.mockRestore()
      tf.removeBackend("broken-for-test")
    }
  })

  it("switches when another backend is asked for, and keeps it for auto", async () => {
    const logger = jest.fn()
    expect(await initBackend("cpu", { logger })).toBe("cpu")
    expect(tf.getBackend()).toBe("cpu")
    expect(logger).toHaveBeenCalledWith(expect.stringContaining("cpu"))
    expect(await initBackend("auto", { logger })).toBe("cpu")

    expect(await initBackend("wasm", { logger })).toBe("wasm")
    expect(tf.getBackend()).toBe("wasm")
  })

  it("starts the backend a model's runtime names", async () => {
    // The cpu backend's "install tfjs-node" advice and the chosen-backend line.
    const quiet = [jest.spyOn(console, "warn"), jest.spyOn(console, "info")].map((s) => s.mockImplementation(() => undefined))
    try {
      expect(await initBackend("wasm", { logger: jest.fn() })).toBe("wasm")
      const model = await createSequenceModel({ featureDim: 3, outputDim: 2, units: 4, lookback: 2 }, { backend: "cpu" })
      model.dispose()
      expect(currentBackend()).toBe("cpu")
      expect(tf.getBackend()).toBe("cpu")
    } finally {
      for (const s of quiet) s.mockRestore()
    }
  })
})
