import fs from "fs"
import path from "path"

/**
 * The documentation's storefront snippets are the example storefront's code:
 * a block after `<!-- example-file: <path> -->` is that whole file, one after
 * `<!-- example-excerpt: <path> -->` a verbatim part of it. They cannot drift
 * apart, and the example is built and run by test/e2e/nextjs-storefront.spec.ts.
 */
const ROOT = path.resolve(__dirname, "..", "..", "..")
const CAROUSEL = "examples/nextjs-storefront/src/modules/products/components/interest-carousel/index.tsx"

interface Snippet {
  doc: string
  kind: "file" | "excerpt"
  target: string
  code: string
}

function markdownFiles(): string[] {
  const docs = path.join(ROOT, "docs")
  const nested = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name)
      return e.isDirectory() ? nested(full) : e.name.endsWith(".md") ? [full] : []
    })
  return [path.join(ROOT, "README.md"), ...(fs.existsSync(docs) ? nested(docs) : [])]
}

function snippets(): Snippet[] {
  const marker = /<!-- example-(file|excerpt): (\S+) -->\n```[a-z]*\n([\s\S]*?)\n```/g
  return markdownFiles().flatMap((file) =>
    Array.from(fs.readFileSync(file, "utf8").matchAll(marker), (m) => ({
      doc: path.relative(ROOT, file),
      kind: m[1] as Snippet["kind"],
      target: m[2],
      code: m[3],
    }))
  )
}

describe("the documentation's storefront snippets", () => {
  const found = snippets()

  it("show the example's carousel component, whole", () => {
    expect(found.filter((s) => s.kind === "file").map((s) => s.target)).toContain(CAROUSEL)
  })

  it("are each the example's file, or a verbatim part of it", () => {
    expect(found.length).toBeGreaterThan(0)
    for (const s of found) {
      const file = path.join(ROOT, s.target)
      expect([s.doc, s.target, fs.existsSync(file)]).toEqual([s.doc, s.target, true])
      const source = fs.readFileSync(file, "utf8")
      if (s.kind === "file") expect([s.target, s.code]).toEqual([s.target, source.replace(/\n$/, "")])
      else expect([s.target, source.includes(s.code)]).toEqual([s.target, true])
    }
  })
})
