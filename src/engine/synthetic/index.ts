export * from "./catalog"
export * from "./behaviour"
export * from "./personas"
export { Rng, mixSeed, sampleCumulative } from "./prng"
