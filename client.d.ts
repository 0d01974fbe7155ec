export * from "./dist/client"
