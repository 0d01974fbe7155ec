import { FetchLike } from "../types"

export interface Call {
  url: string
  method: string
  headers: Record<string, string>
  body: any
}

type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error

/**
 * A fetch that records every call and answers from a script of replies (the
 * last reply repeats). An Error reply is thrown, as fetch does on network errors.
 */
export function fakeFetch(...replies: Reply[]): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = []
  const fetch: FetchLike = async (url, init = {}) => {
    calls.push({
      url,
      method: init.method ?? "GET",
      headers: (init.headers ?? {}) as Record<string, string>,
      body: typeof init.body === "string" ? JSON.parse(init.body) : undefined,
    })
    const reply = replies[Math.min(calls.length - 1, replies.length - 1)]
    if (reply instanceof Error) throw reply
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { "content-type": "application/json", ...(reply.headers ?? {}) },
    })
  }
  return { fetch, calls }
}

/** A 202 answer accepting every event of the request. */
export function accepted(n = 1): { status: number; body: unknown } {
  return {
    status: 202,
    body: { accepted: n, duplicates: 0, rejected: 0, ignored: 0, results: Array.from({ length: n }, (_, index) => ({ index, status: "accepted" })) },
  }
}

export function memoryStorage(initial: Record<string, string> = {}): Storage {
  const data = new Map(Object.entries(initial))
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
    clear: () => data.clear(),
    key: (i: number) => [...data.keys()][i] ?? null,
    get length() {
      return data.size
    },
  }
}
