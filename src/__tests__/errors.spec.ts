import createError from "http-errors"
import zlib from "zlib"
import { clientErrorAnswer, internalErrorAnswer } from "../errors"

describe("clientErrorAnswer", () => {
  it("answers body parser errors with their status and a message of ours, never the parser's text", () => {
    const cases: [Error, number, string][] = [
      [createError(413, "request entity too large", { type: "entity.too.large" }), 413, "The request body is too large."],
      [createError(400, "Unexpected token } in JSON at position 3", { type: "entity.parse.failed" }), 400, "The request body is not valid JSON."],
      [createError(400, "The input exceeded the depth", { type: "querystring.parse.rangeError" }), 400, "The request body is nested too deeply."],
      [createError(415, 'unsupported charset "LATIN-9000"', { type: "charset.unsupported" }), 415, "Unsupported body encoding (charset)."],
      [createError(415, 'unsupported content encoding "x-fuzz"', { type: "encoding.unsupported" }), 415, "Unsupported body encoding (Content-Encoding)."],
      [createError(400, "some new parser error naming internals"), 400, "The request body could not be read."],
    ]
    for (const [err, status, message] of cases) expect(clientErrorAnswer(err)).toEqual({ status, message })
  })

  it("hides zlib's own message for a body declared gzip that is not", () => {
    let zlibError: Error | undefined
    try {
      zlib.gunzipSync(Buffer.from('{"a": 1}'))
    } catch (e) {
      zlibError = e as Error
    }
    expect(zlibError?.message).toMatch(/header/)
    expect(clientErrorAnswer(createError(400, zlibError as Error))).toEqual({ status: 400, message: "The request body could not be decompressed." })
  })

  it("leaves other errors alone: not exposed, or not a 4xx", () => {
    expect(clientErrorAnswer(new Error("boom"))).toBeNull()
    expect(clientErrorAnswer(createError(500, "internal"))).toBeNull()
    expect(clientErrorAnswer(Object.assign(new Error("x"), { status: 400 }))).toBeNull()
    expect(clientErrorAnswer(null)).toBeNull()
  })
})

describe("internalErrorAnswer", () => {
  it("gives Medusa's 500-with-message types and constraint violations a plain answer", () => {
    expect(internalErrorAnswer({ type: "database_error", message: 'relation "x" does not exist' })).toEqual({
      status: 500,
      type: "unknown_error",
      message: "An unknown error occurred.",
    })
    const duplicate = Object.assign(new Error('duplicate key value violates unique constraint "PK_x"'), { code: "23505", table: "interest_event", detail: "Key (id)=(ievt_1) already exists." })
    expect(internalErrorAnswer(duplicate)).toEqual({ status: 409, type: "conflict", message: "The request conflicted with another request. Retry it." })
    expect(internalErrorAnswer({ code: "23503" })?.status).toBe(409)
    expect(internalErrorAnswer({ code: "23502" })?.status).toBe(400)
  })

  it("leaves errors written for the client and unknown errors to Medusa's handler", () => {
    expect(internalErrorAnswer({ type: "invalid_data", message: "visitor_id must be …" })).toBeNull()
    expect(internalErrorAnswer({ type: "not_found", message: "Segment with id: x was not found." })).toBeNull()
    expect(internalErrorAnswer(new RangeError("Maximum call stack size exceeded"))).toBeNull()
  })
})
