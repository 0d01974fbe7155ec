export * from "./medusa-seed"
