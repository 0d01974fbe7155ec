/** A request the server answered with an error, or that could not reach it. */
export class InterestClientError extends Error {
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number
  /** The parsed error body, when there was one. */
  readonly body: unknown

  constructor(message: string, status: number, body?: unknown) {
    super(message)
    this.name = "InterestClientError"
    this.status = status
    this.body = body
  }
}
