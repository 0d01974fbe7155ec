/**
 * Shop-level interest flows (the admin's Interests page): how interest is shared
 * between categories period by period, and where customers go next. Computed from
 * a trained model's customer period profiles, so every stored model answers, and
 * a customer erased from the model is no longer counted.
 */
export * from "./periods"
export * from "./shares"
export * from "./transitions"
export * from "./segment-flow"
export * from "./seasons"
