import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const dir = join(import.meta.dirname, '..', '..', '..', 'src', 'policy')
const sources = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => ({ file, source: readFileSync(join(dir, file), 'utf8') }))

describe('policy/ is pure', () => {
  it('imports only policy/, crypto/canonical-json and node:crypto (and zod, in schema.ts only)', () => {
    expect(sources.length).toBeGreaterThan(5)
    for (const { file, source } of sources) {
      const specifiers = [...source.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1])
      for (const specifier of specifiers) {
        const allowed =
          /^\.\/[\w-]+\.js$/.test(specifier ?? '') ||
          specifier === '../crypto/canonical-json.js' ||
          specifier === 'node:crypto' ||
          (file === 'schema.ts' && specifier === 'zod')
        expect(allowed, `${file} imports ${specifier}`).toBe(true)
      }
    }
  })

  it('reads no clock, fetches nothing and touches no process state: now is passed in', () => {
    for (const { file, source } of sources) {
      expect(source, file).not.toMatch(
        /Date\.now\(|new Date\(|performance\.now|\bfetch\(|process\.|require\(|globalThis/,
      )
    }
  })
})
