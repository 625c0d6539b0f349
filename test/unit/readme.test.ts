import { execFile } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { checkableSource, tsBlocks } from './readme-blocks.js'

const root = join(import.meta.dirname, '..', '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

describe('README', () => {
  it('shows examples/basic/server.ts as its quick start, so the quick start is run by a test', () => {
    const example = readFileSync(join(root, 'examples', 'basic', 'server.ts'), 'utf8').trim()
    const blocks = tsBlocks(readme).map((b) => b.code.trim())
    expect(blocks).toContain(example)
    expect(example.split('\n').length).toBeLessThan(35)
  })

  it('gives the test command that .ci/run runs', () => {
    expect(readme).toMatch(/^npm test\b/m)
    expect(readFileSync(join(root, '.ci', 'run'), 'utf8')).toMatch(/^npm test$/m)
  })

  it('has only ts blocks (its own and docs/*.md’s) that type-check against the built package (dist/*.d.ts, strict)', async () => {
    expect(tsBlocks(readme).length).toBeGreaterThan(10)
    const docs = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md'))
    const blocks = [
      ...tsBlocks(readme).map((block) => ({ ...block, name: 'readme' })),
      ...docs.flatMap((doc) =>
        tsBlocks(readFileSync(join(root, 'docs', doc), 'utf8')).map((block) => ({
          ...block,
          name: `docs-${doc.replace(/\.md$/, '')}`,
        })),
      ),
    ]
    // Inside the repository, so that `express-connections` resolves to the built package by its own
    // name (package.json "exports"), as it does in an app, and every other import to node_modules.
    const dir = join(root, 'test-results', 'readme-blocks')
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    const files = blocks.map((block) => {
      const file = `${block.name}-line-${block.line}.mts`
      writeFileSync(join(dir, file), checkableSource(block))
      return file
    })
    const compilerOptions = {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023', 'DOM'],
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
    }
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }, null, 2))
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], {
      cwd: dir,
    }).then(
      () => '',
      (error: { stdout?: string; stderr?: string }) =>
        `${error.stdout ?? ''}${error.stderr ?? ''}` || 'tsc failed',
    )
    expect(
      result,
      'a README (or docs/*.md) ts block does not type-check (readme-line-N.mts is the block at line N)',
    ).toBe('')
  }, 120_000)
})
