export * from "./medusa-seed"
export * from "./seed-shop"
