export * from "./catalog"
export * from "./behaviour"
export * from "./personas"
export { mixSeed, sampleCumulative } from "./sampling"
