import * as fs from "fs"
import * as os from "os"
import * as path from "path"
import * as pipeline from "../../engine/pipeline"
import { LoadedModel, TrainedArtifacts, loadArtifacts } from "../../engine/pipeline"
import { main } from "../index"
import { runRecommend } from "../recommend"
import { ARTIFACTS_FILE, runTrain } from "../train"

// The command's recommend passes through to the engine; one test makes it fail midway.
jest.mock("../../engine/pipeline", () => {
  const actual = jest.requireActual("../../engine/pipeline") as typeof import("../../engine/pipeline")
  return { ...actual, recommend: jest.fn(actual.recommend) }
})
const { recommend } = jest.requireActual("../../engine/pipeline") as typeof import("../../engine/pipeline")
const commandRecommend = pipeline.recommend as jest.MockedFunction<typeof pipeline.recommend>

const GROUPS = ["lamps", "rugs", "vases"]
const T0 = Date.UTC(2024, 0, 1)
const DAY = 86400000

/** A small shop: three groups of fans who mostly look at their group's products. */
function eventsCsv(): string {
  let seed = 7
  const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
  const rows = ["customer_id,product_id,type,timestamp,category_ids"]
  GROUPS.forEach((g, gi) => {
    for (let c = 0; c < 8; c++) {
      for (let week = 0; week < 4; week++) {
        for (let e = 0; e < 4; e++) {
          const group = rnd() < 0.85 ? g : GROUPS[(gi + 1) % GROUPS.length]
          const item = Math.floor(rnd() * 4) + (rnd() < 0.3 ? 4 : 0)
          const ts = new Date(T0 + week * 7 * DAY + e * 3600000 + c * 60000).toISOString()
          rows.push(`${g}-fan-${c},${group}-${item},${rnd() < 0.15 ? "purchase" : "view"},${ts},${group}`)
        }
      }
    }
  })
  return rows.join("\n") + "\n"
}

interface Output {
  stdout: string
  stderr: string
}

/** Runs `medusa-interest recommend` with these flags, capturing what it prints. */
async function run(flags: Record<string, string | true>): Promise<Output> {
  let stdout = ""
  let stderr = ""
  const o = jest.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => ((stdout += String(s)), true))
  const e = jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => ((stderr += String(s)), true))
  try {
    await runRecommend(flags)
  } finally {
    o.mockRestore()
    e.mockRestore()
  }
  return { stdout, stderr }
}

/** The for_you list one call of the engine serves this customer. */
function served(model: LoadedModel, customerId: string, k: number): string[] {
  return recommend(model, { customerId, placement: "for_you", limit: k }).items.map((i) => i.productId)
}

/** Keys of a JSON object in the order they appear in the text (JSON.parse reorders integer-like keys). */
function keysInFileOrder(text: string): string[] {
  return [...text.matchAll(/^"((?:[^"\\]|\\.)*)":/gm)].map((m) => JSON.parse(`"${m[1]}"`) as string)
}

describe("medusa-interest recommend --customers", () => {
  let tmp: string
  let modelDir: string
  let model: LoadedModel

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "interest-cli-"))
    modelDir = path.join(tmp, "model")
    const events = path.join(tmp, "events.csv")
    fs.writeFileSync(events, eventsCsv())
    const o = jest.spyOn(process.stdout, "write").mockImplementation(() => true)
    try {
      await runTrain({ events, out: modelDir })
    } finally {
      o.mockRestore()
    }
    // Loaded on its own, so the expectations do not share the command's copy of the model.
    model = loadArtifacts(JSON.parse(fs.readFileSync(path.join(modelDir, ARTIFACTS_FILE), "utf8")) as TrainedArtifacts)
  })

  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }))

  const out = (name: string): string => path.join(tmp, name)
  const readJson = (file: string): Record<string, string[]> => JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string[]>

  it("all: writes every customer of the artifacts, in order, each with exactly its for_you list", async () => {
    const file = out("all.json")
    const res = await run({ model: modelDir, customers: "all", k: "5", json: file })
    const ids = model.stage.customerIds
    expect(ids.length).toBe(24)
    const text = fs.readFileSync(file, "utf8")
    expect(keysInFileOrder(text)).toEqual(ids)
    const got = readJson(file)
    for (const id of ids) expect(got[id]).toEqual(served(model, id, 5))
    // A meaningful comparison: full lists, and not one list for everybody.
    for (const id of ids) expect(got[id]).toHaveLength(5)
    expect(new Set(ids.map((id) => got[id].join(","))).size).toBeGreaterThan(1)
    expect(res.stdout).toBe(`wrote 24 customers (0 unknown) to ${file}\n`)
    expect(fs.existsSync(`${file}.tmp`)).toBe(false)
  })

  it("FILE: trims, skips blank lines, exports duplicates once and unknown ids as new visitors", async () => {
    const list = out("customers.txt")
    // An integer-like unknown id last: the file must keep the listed order anyway.
    fs.writeFileSync(list, "  rugs-fan-3 \r\n\nlamps-fan-0\n\t\nnobody-at-all\nrugs-fan-3\nvases-fan-7\n42\n")
    const file = out("list.json")
    const res = await run({ model: modelDir, customers: list, k: "4", json: file })
    const expected = ["rugs-fan-3", "lamps-fan-0", "nobody-at-all", "vases-fan-7", "42"]
    expect(keysInFileOrder(fs.readFileSync(file, "utf8"))).toEqual(expected)
    const got = readJson(file)
    expect(Object.keys(got).sort()).toEqual([...expected].sort())
    for (const id of expected) expect(got[id]).toEqual(served(model, id, 4))
    expect(got["nobody-at-all"]).toHaveLength(4)
    expect(got["nobody-at-all"]).toEqual(served(model, "never-seen-visitor", 4))
    expect(res.stderr).toMatch(/^2 of 5 customer ids in .* are not in the model/)
    expect(res.stderr).toContain("1 duplicate line skipped")
    expect(res.stdout).toBe(`wrote 5 customers (2 unknown) to ${file}\n`)
  })

  it("equals the single-customer mode's --json for the same customer", async () => {
    const all = out("all-10.json")
    await run({ model: modelDir, customers: "all", json: all })
    const batch = readJson(all)
    for (const id of ["lamps-fan-1", "vases-fan-4", "unknown-x"]) {
      const one = out(`one-${id}.json`)
      const res = await run({ model: modelDir, customer: id, json: one })
      const single = readJson(one)
      expect(Object.keys(single)).toEqual([id])
      expect(single[id]).toEqual(served(model, id, 10))
      if (id !== "unknown-x") expect(single[id]).toEqual(batch[id])
      // The listing is still printed, one line per product, plus the summary.
      expect(res.stdout.split("\n").filter((l) => /^\s+\d+\. /.test(l))).toHaveLength(10)
      expect(res.stdout).toContain(`wrote 1 customer (${id === "unknown-x" ? 1 : 0} unknown) to ${one}`)
    }
  })

  it("keeps the single-customer mode without --json", async () => {
    const res = await run({ model: modelDir, customer: "rugs-fan-2", k: "3" })
    expect(res.stdout.split("\n")[0]).toMatch(/^customer rugs-fan-2/)
    const listed = res.stdout
      .split("\n")
      .filter((l) => /^\s+\d+\. /.test(l))
      .map((l) => l.trim().split(/\s+/)[1])
    expect(listed).toEqual(served(model, "rugs-fan-2", 3))
  })

  describe("errors (and no output file left behind)", () => {
    const cases: [string, () => Record<string, string | true>, RegExp][] = [
      ["a missing customers file", () => ({ customers: out("no-such-list.txt") }), /Customers file not found: .*no-such-list\.txt/],
      ["an empty customers file", () => ({ customers: writeList("empty.txt", "\n  \n\t\r\n") }), /No customer ids in .*empty\.txt/],
      ["--k 0", () => ({ customers: "all", k: "0" }), /--k must be a positive integer, got "0"/],
      ["--k abc", () => ({ customers: "all", k: "abc" }), /--k must be a positive integer, got "abc"/],
      ["--k 2.5", () => ({ customers: "all", k: "2.5" }), /--k must be a positive integer/],
      ["a missing --json directory", () => ({ customers: "all", json: out("no-such-dir/recs.json") }), /Directory of --json .* not found/],
      ["--customers without --json", () => ({ customers: "all", json: undefined as unknown as string }), /--json is required/],
      ["--customer together with --customers", () => ({ customer: "lamps-fan-0", customers: "all" }), /--customer and --customers cannot be used together/],
      ["neither --customer nor --customers", () => ({}), /--customer ID or --customers FILE\|all is required/],
      ["another placement with --customers", () => ({ customers: "all", placement: "trending" }), /for_you placement only/],
    ]

    function writeList(name: string, text: string): string {
      fs.writeFileSync(out(name), text)
      return out(name)
    }

    it.each(cases)("rejects %s", async (_name, extra, message) => {
      const file = out("failed.json")
      fs.writeFileSync(file, "previous run\n")
      const flags: Record<string, string | true> = { model: modelDir, json: file, ...extra() }
      for (const key of Object.keys(flags)) if (flags[key] === undefined) delete flags[key]
      await expect(run(flags)).rejects.toThrow(message)
      expect(fs.readFileSync(file, "utf8")).toBe("previous run\n")
      expect(fs.existsSync(`${file}.tmp`)).toBe(false)
    })

    it("leaves OUT untouched when the export fails midway", async () => {
      const file = out("midway.json")
      fs.writeFileSync(file, "previous run\n")
      let calls = 0
      commandRecommend.mockImplementation((m, req) => {
        if (++calls === 3) throw new Error("boom")
        return recommend(m, req)
      })
      try {
        await expect(run({ model: modelDir, customers: "all", json: file })).rejects.toThrow("boom")
      } finally {
        commandRecommend.mockImplementation(recommend)
      }
      expect(calls).toBe(3)
      expect(fs.readFileSync(file, "utf8")).toBe("previous run\n")
      expect(fs.existsSync(`${file}.tmp`)).toBe(false)
    })

    it("main() reports the conflict as an error too", async () => {
      await expect(main(["recommend", "--model", modelDir, "--customer", "a", "--customers", "all"])).rejects.toThrow(/cannot be used together/)
    })
  })
})
