import { GroupCommit, GroupCommitError } from "../event-group-commit"

/** A write the test commits or fails by hand: each call is one flush, with its rows. */
function controlledWrite(): {
  write: (rows: string[]) => Promise<void>
  flushes: { rows: string[]; commit: () => void; fail: (e: Error) => void }[]
} {
  const flushes: { rows: string[]; commit: () => void; fail: (e: Error) => void }[] = []
  const write = (rows: string[]): Promise<void> =>
    new Promise<void>((resolve, reject) => flushes.push({ rows, commit: resolve, fail: reject }))
  return { write, flushes }
}

/** Polls until `cond` holds, failing after `ms`. */
async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error("condition not met in time")
    await new Promise((r) => setTimeout(r, 1))
  }
}

/** Tracks a promise's outcome without awaiting it. */
function watch(p: Promise<void>): { state: "pending" | "resolved" | "rejected"; error?: unknown } {
  const w: { state: "pending" | "resolved" | "rejected"; error?: unknown } = { state: "pending" }
  p.then(
    () => (w.state = "resolved"),
    (e) => {
      w.state = "rejected"
      w.error = e
    }
  )
  return w
}

/** Lets already-settled promises run their callbacks. */
const settle = () => new Promise((r) => setImmediate(r))

describe("GroupCommit", () => {
  it("writes the rows of concurrent requests in one flush and answers each only after it committed", async () => {
    const { write, flushes } = controlledWrite()
    const queue = new GroupCommit(write, { windowMs: 20 })
    const a = watch(queue.add(["a1", "a2"]))
    const b = watch(queue.add(["b1"]))
    const c = watch(queue.add(["c1"]))
    await until(() => flushes.length === 1)
    expect(flushes[0].rows).toEqual(["a1", "a2", "b1", "c1"])
    await settle()
    expect([a.state, b.state, c.state]).toEqual(["pending", "pending", "pending"])
    flushes[0].commit()
    await until(() => c.state !== "pending")
    expect([a.state, b.state, c.state]).toEqual(["resolved", "resolved", "resolved"])
    expect(queue.flushes).toBe(1)
  })

  it("flushes at once when maxRows rows wait, without waiting for the window", async () => {
    const { write, flushes } = controlledWrite()
    const queue = new GroupCommit(write, { windowMs: 60_000, maxRows: 3 })
    void queue.add(["a1", "a2"])
    void queue.add(["b1"])
    await until(() => flushes.length === 1)
    expect(flushes[0].rows).toEqual(["a1", "a2", "b1"])
    flushes[0].commit()
  })

  it("gathers rows that arrive during a flush into the next one, started as soon as the first ends", async () => {
    const { write, flushes } = controlledWrite()
    const queue = new GroupCommit(write, { windowMs: 1 })
    const a = watch(queue.add(["a1"]))
    await until(() => flushes.length === 1)
    const b = watch(queue.add(["b1"]))
    const c = watch(queue.add(["c1"]))
    await settle()
    // One flush at a time: the second waits for the first.
    expect(flushes.length).toBe(1)
    flushes[0].commit()
    await until(() => flushes.length === 2)
    expect(flushes[1].rows).toEqual(["b1", "c1"])
    expect(a.state).toBe("resolved")
    expect([b.state, c.state]).toEqual(["pending", "pending"])
    flushes[1].commit()
    await until(() => c.state === "resolved")
    expect(b.state).toBe("resolved")
  })

  it("never splits a request across flushes; one larger than maxRows goes alone", async () => {
    const { write, flushes } = controlledWrite()
    const queue = new GroupCommit(write, { windowMs: 1, maxRows: 3 })
    void queue.add(["a1", "a2", "a3", "a4"])
    await until(() => flushes.length === 1)
    void queue.add(["b1", "b2"])
    void queue.add(["c1", "c2"])
    flushes[0].commit()
    await until(() => flushes.length === 2)
    flushes[1].commit()
    await until(() => flushes.length === 3)
    flushes[2].commit()
    expect(flushes.map((f) => f.rows)).toEqual([["a1", "a2", "a3", "a4"], ["b1", "b2"], ["c1", "c2"]])
  })

  it("fails exactly the requests of a failed flush; the next flush's requests still commit", async () => {
    const { write, flushes } = controlledWrite()
    const queue = new GroupCommit(write, { windowMs: 1 })
    const a = watch(queue.add(["a1"]))
    const b = watch(queue.add(["b1"]))
    await until(() => flushes.length === 1)
    const c = watch(queue.add(["c1"]))
    const cause = new Error("check constraint violated")
    flushes[0].fail(cause)
    await until(() => flushes.length === 2)
    flushes[1].commit()
    await until(() => c.state !== "pending")
    expect([a.state, b.state, c.state]).toEqual(["rejected", "rejected", "resolved"])
    expect(a.error).toBeInstanceOf(GroupCommitError)
    expect((a.error as GroupCommitError).reason).toBe("failed")
    expect((a.error as GroupCommitError).cause).toBe(cause)
  })

  it("gives up a flush that does not commit within the deadline and goes on with the next", async () => {
    const { write, flushes } = controlledWrite()
    const queue = new GroupCommit(write, { windowMs: 1, deadlineMs: 50 })
    const started = Date.now()
    const a = watch(queue.add(["a1"]))
    await until(() => flushes.length === 1)
    const b = watch(queue.add(["b1"]))
    // The first write never ends: its request fails at the deadline, and the queue is not stuck behind it.
    await until(() => a.state !== "pending")
    expect(Date.now() - started).toBeGreaterThanOrEqual(45)
    expect(a.state).toBe("rejected")
    expect((a.error as GroupCommitError).reason).toBe("deadline")
    await until(() => flushes.length === 2)
    expect(flushes[1].rows).toEqual(["b1"])
    flushes[1].commit()
    await until(() => b.state === "resolved")
  })

  it("refuses a request at once when the queue has no room for its rows", async () => {
    const { write, flushes } = controlledWrite()
    const queue = new GroupCommit(write, { windowMs: 1, maxWaitingRows: 3 })
    void queue.add(["a1"])
    await until(() => flushes.length === 1)
    // a1 is being written; b's two rows wait, c's two would exceed the room.
    const b = watch(queue.add(["b1", "b2"]))
    const c = watch(queue.add(["c1", "c2"]))
    await until(() => c.state !== "pending")
    expect(c.state).toBe("rejected")
    expect((c.error as GroupCommitError).reason).toBe("full")
    expect(queue.size).toBe(2)
    flushes[0].commit()
    await until(() => flushes.length === 2)
    expect(flushes[1].rows).toEqual(["b1", "b2"])
    flushes[1].commit()
    await until(() => b.state === "resolved")
  })

  it("answers a request without rows at once, writing nothing", async () => {
    const { write, flushes } = controlledWrite()
    const queue = new GroupCommit(write, { windowMs: 1 })
    await queue.add([])
    expect(flushes.length).toBe(0)
    expect(queue.flushes).toBe(0)
  })
})
