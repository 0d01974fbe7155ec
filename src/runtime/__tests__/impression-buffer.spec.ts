import { EntityManager } from "typeorm"
import { Impression, ImpressionBuffer } from "../impression-buffer"

/** A stand-in for the database: records each INSERT's ids, and can be told to fail. */
function fakeManager(): { manager: EntityManager; inserts: string[][]; fail: { on: boolean } } {
  const inserts: string[][] = []
  const fail = { on: false }
  // A real EntityManager's withRepository, so the impression repository's own SQL reaches `query`.
  const manager = Object.assign(Object.create(EntityManager.prototype), {
    query: async (sql: string, params: unknown[]) => {
      await new Promise((r) => setTimeout(r, 5))
      if (fail.on) throw new Error("connection refused")
      expect(sql).toMatch(/^INSERT INTO interest_impression/)
      // 9 parameters per row, the id first.
      inserts.push(params.filter((_, i) => i % 9 === 0) as string[])
      return []
    },
  }) as EntityManager
  return { manager, inserts, fail }
}

const impression = (id: string): Impression => ({
  id,
  modelVersionId: null,
  customerId: null,
  visitorId: "visitor_1",
  placement: "for_you",
  contextId: "",
  productIds: ["prod_1"],
  experimentId: null,
  arm: null,
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe("ImpressionBuffer", () => {
  it("writes a lone impression at once and resolves when it is stored", async () => {
    const { manager, inserts } = fakeManager()
    const buffer = new ImpressionBuffer()
    await buffer.add(manager, impression("irec_1"))
    expect(inserts).toEqual([["irec_1"]])
  })

  it("batches impressions that arrive while a write is under way or just happened", async () => {
    const { manager, inserts } = fakeManager()
    const buffer = new ImpressionBuffer()
    const first = buffer.add(manager, impression("irec_1"))
    // These arrive during the first INSERT: they are queued, not waited for.
    for (let i = 2; i <= 50; i++) await buffer.add(manager, impression(`irec_${i}`))
    await first
    expect(inserts).toEqual([["irec_1"]])
    expect(buffer.size).toBe(49)
    await sleep(350)
    expect(inserts.length).toBe(2)
    expect(inserts[1]).toEqual(Array.from({ length: 49 }, (_, i) => `irec_${i + 2}`))
    expect(buffer.size).toBe(0)
  })

  it("keeps what a failed write held and stores it with the next one", async () => {
    const { manager, inserts, fail } = fakeManager()
    const buffer = new ImpressionBuffer()
    fail.on = true
    await buffer.add(manager, impression("irec_a"))
    expect(inserts).toEqual([])
    expect(buffer.size).toBe(1)
    fail.on = false
    await buffer.add(manager, impression("irec_b"))
    await sleep(350)
    expect(inserts.flat().sort()).toEqual(["irec_a", "irec_b"])
    expect(buffer.dropped).toBe(0)
  })

  it("finds an impression while it is queued and while it is being written, and not once it is stored", async () => {
    const { manager, inserts } = fakeManager()
    const buffer = new ImpressionBuffer()
    const first = buffer.add(manager, impression("irec_1"))
    // irec_1 is being written (its INSERT is under way).
    expect(buffer.queued(["irec_1", "irec_x"]).map((i) => i.id)).toEqual(["irec_1"])
    await buffer.add(manager, impression("irec_2"))
    expect(buffer.queued(["irec_2"])).toEqual([impression("irec_2")])
    await first
    expect(buffer.queued(["irec_1"])).toEqual([])
    await buffer.flush()
    expect(inserts.flat()).toEqual(["irec_1", "irec_2"])
    expect(buffer.queued(["irec_1", "irec_2"])).toEqual([])
  })

  it("still finds what a failed write held", async () => {
    const { manager, fail } = fakeManager()
    const buffer = new ImpressionBuffer()
    fail.on = true
    await buffer.add(manager, impression("irec_f"))
    expect(buffer.queued(["irec_f"]).map((i) => i.id)).toEqual(["irec_f"])
    fail.on = false
    await buffer.flush()
    expect(buffer.queued(["irec_f"])).toEqual([])
  })
})
