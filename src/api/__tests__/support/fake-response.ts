/**
 * The slice of Medusa's (Express's) response that the plugin's routes and
 * middlewares use, recording what they answer instead of sending it.
 */
export interface FakeResponse {
  statusCode: number
  /** By lower-cased name, as Express treats header names. */
  headers: Record<string, string>
  /** What `type()` was given. */
  contentType: string
  /** What `json()` or `send()` was given. */
  body: unknown
  status(code: number): FakeResponse
  json(body: unknown): FakeResponse
  send(body: unknown): FakeResponse
  type(contentType: string): FakeResponse
  setHeader(name: string, value: string): FakeResponse
}

/** A fresh response that answers 200 until told otherwise. */
export function fakeResponse(): FakeResponse {
  const res: FakeResponse = {
    statusCode: 200,
    headers: {},
    contentType: "",
    body: undefined,
    status(code) {
      res.statusCode = code
      return res
    },
    json(body) {
      res.body = body
      return res
    },
    send(body) {
      res.body = body
      return res
    },
    type(contentType) {
      res.contentType = contentType
      return res
    },
    setHeader(name, value) {
      res.headers[name.toLowerCase()] = value
      return res
    },
  }
  return res
}
