import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', '..')

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? testFiles(path) : [path]
  })
}

/**
 * Every `file` › "title" the checklist cites, in order: a title belongs to the file named last before
 * it. Escaped quotes in the document (`\"`) are plain quotes in the title.
 */
function citedTests(markdown: string): Array<{ file: string; title: string }> {
  const checklist = markdown.slice(markdown.indexOf('## 3.'))
  const cited: Array<{ file: string; title: string }> = []
  let file: string | null = null
  for (const match of checklist.matchAll(/`([^`]+\.test\.ts)`|›\s*"((?:[^"\\]|\\.)*)"/g)) {
    if (match[1]) file = match[1]
    else if (file && match[2] !== undefined) cited.push({ file, title: match[2].replace(/\\"/g, '"') })
  }
  return cited
}

describe('SECURITY.md', () => {
  it('cites only tests that exist: every `file` › "title" of the checklist is a test title in that file', () => {
    const cited = citedTests(readFileSync(join(root, 'SECURITY.md'), 'utf8'))
    expect(cited.length).toBeGreaterThan(100)
    const files = testFiles(join(root, 'test'))
    const stale = cited.filter(({ file, title }) => {
      const candidates = files.filter((path) => path.endsWith(file.includes('/') ? file : `/${file}`))
      // Source escapes (\' \" \`) are dropped so that a title reads as the test runner prints it.
      return !candidates.some((path) => readFileSync(path, 'utf8').replace(/\\(.)/g, '$1').includes(title))
    })
    expect(stale).toEqual([])
  })
})
