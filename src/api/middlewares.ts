import { errorHandler, MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewaresConfig } from "@medusajs/medusa"

const medusaErrorHandler = errorHandler()

/**
 * Medusa's error handler turns every error it does not know into a 500, body
 * parser errors included. A body that is too large or not valid JSON is the
 * client's mistake: answer it with the parser's own 4xx status.
 */
function interestErrorHandler(
  err: { status?: number; statusCode?: number; type?: string; message?: string },
  req: MedusaRequest,
  res: MedusaResponse,
  next: MedusaNextFunction
): void {
  const status = err?.status ?? err?.statusCode
  if (typeof status === "number" && status >= 400 && status < 500 && String(err.type ?? "").startsWith("entity.")) {
    const message =
      err.type === "entity.too.large"
        ? "The request body is too large."
        : err.type === "entity.parse.failed"
          ? "The request body is not valid JSON."
          : `The request body could not be read (${err.type}).`
    res.status(status).json({ type: "invalid_data", message })
    return
  }
  if (err?.type === "charset.unsupported" || err?.type === "encoding.unsupported") {
    res.status(415).json({ type: "invalid_data", message: "Unsupported body encoding." })
    return
  }
  medusaErrorHandler(err as Parameters<typeof medusaErrorHandler>[0], req, res, next)
}

export const config: MiddlewaresConfig = {
  errorHandler: interestErrorHandler as unknown as MiddlewaresConfig["errorHandler"],
  routes: [
    {
      // 100 events of a few hundred bytes each fit comfortably; more is abuse.
      matcher: "/store/interest/*",
      bodyParser: { sizeLimit: "64kb" },
    },
  ],
}
