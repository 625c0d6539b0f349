import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ToolDefinition } from '../../../src/providers/tool-definition.js'
import { providersWithTools } from '../../support/tool-samples.js'

/** A preset tool's line in docs/tools.md's table: `| provider | tool | name | kind | extra scopes |`. */
function toolLine(provider: string, tool: ToolDefinition): string {
  const kind = tool.annotations.readOnly ? 'read' : tool.annotations.destructive ? 'destructive' : 'write'
  const scopes = tool.scopes?.map((s) => `\`${s}\``).join(' ') ?? ''
  return `| \`${provider}\` | \`${tool.slug}\` | ${tool.displayName} | ${kind} | ${scopes} |`
}

describe('docs/tools.md', () => {
  it('lists every preset tool, a line made from its definition, and no tool that is not there', () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'tools.md'), 'utf8')
    const expected = providersWithTools()
      .filter((p) => p.id !== 'tracker')
      .flatMap((p) => p.tools.map((tool) => toolLine(p.id, tool)))
    expect(expected.length).toBeGreaterThan(30)
    const table = doc.split('\n').filter((line) => /^\| `[a-z_]+` \| `[a-z_0-9]+` \|/.test(line))
    // The message is the table to put in docs/tools.md's "Preset tools" (replacing the old one).
    expect(table.join('\n'), `docs/tools.md "Preset tools" should read:\n${expected.join('\n')}\n`).toBe(
      expected.join('\n'),
    )
  })
})
