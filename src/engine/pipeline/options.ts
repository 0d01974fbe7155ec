// The engine options live in core/ (below ranking/ and pipeline/); this path stays
// importable for code outside the engine that names it (src/services).
export * from "../core/options"
