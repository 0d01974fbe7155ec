import { parseArgs } from "../args"
import { sequenceFlags } from "../sequence-flags"

describe("sequenceFlags", () => {
  const flags = (line: string): ReturnType<typeof parseArgs>["flags"] => parseArgs(line.split(" ").filter(Boolean)).flags

  it("maps --lstm and --backend to the engine's sequence options", () => {
    expect(sequenceFlags(flags("evaluate"))).toEqual({ enabled: false, backend: "auto" })
    expect(sequenceFlags(flags("evaluate --lstm --backend wasm"))).toEqual({ enabled: true, backend: "wasm" })
    expect(sequenceFlags(flags("train --backend=cpu --lstm"))).toEqual({ enabled: true, backend: "cpu" })
  })

  it("refuses a backend it does not know, naming the ones it does", () => {
    expect(() => sequenceFlags(flags("evaluate --lstm --backend gpu"))).toThrow('--backend must be one of auto, tensorflow, wasm, cpu, got "gpu".')
    expect(() => sequenceFlags(flags("evaluate --lstm --backend"))).toThrow("--backend needs a value.")
  })
})
