export * from "../dist/client/react"
