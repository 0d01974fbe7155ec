#!/usr/bin/env node
// Part of `npm run build`, after tsc: bundles the storefront client for
// browsers without a bundler (dist/client/browser.js, an IIFE exposing the
// global `MedusaInterest`) and copies the demo storefront page's assets next
// to the compiled demo route, which serves them (tsc copies only .ts output).
const esbuild = require("esbuild")
const fs = require("fs")
const path = require("path")

const ROOT = path.resolve(__dirname, "..")

async function main() {
  await esbuild.build({
    entryPoints: [path.join(ROOT, "src", "client", "index.ts")],
    outfile: path.join(ROOT, "dist", "client", "browser.js"),
    bundle: true,
    format: "iife",
    globalName: "MedusaInterest",
    platform: "browser",
    // Browsers of the last few years; keeps `??` and `?.` out of the bundle.
    target: ["es2019"],
    sourcemap: true,
    logLevel: "warning",
  })
  const from = path.join(ROOT, "src", "demo", "storefront")
  const to = path.join(ROOT, "dist", "demo", "storefront")
  fs.mkdirSync(to, { recursive: true })
  for (const name of fs.readdirSync(from)) {
    if (/\.(html|css|js)$/.test(name)) fs.copyFileSync(path.join(from, name), path.join(to, name))
  }
}

main().catch((e) => {
  console.error(`build-client failed: ${e.stack || e}`)
  process.exit(1)
})
