import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

describe('README', () => {
  it('shows examples/basic/server.ts as its quick start, so the quick start is type-checked', () => {
    const example = readFileSync(join(root, 'examples', 'basic', 'server.ts'), 'utf8').trim()
    const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => (m[1] ?? '').trim())
    expect(blocks).toContain(example)
    expect(example.split('\n').length).toBeLessThan(35)
  })

  it('gives the test command that .ci/run runs', () => {
    expect(readme).toMatch(/^npm test\b/m)
    expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m)
  })
})
