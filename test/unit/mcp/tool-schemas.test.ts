import { describe, expect, it } from 'vitest'
import type { RemoteTool } from '../../../src/mcp/remote.js'
import { normalizedSchema, SNAPSHOT_MAX_BYTES, slugOf, snapshotTools } from '../../../src/mcp/tool-schemas.js'
import type { JsonSchema } from '../../../src/providers/tool-definition.js'
import { ToolValidator } from '../../../src/tools/validate.js'

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#'

function tool(name: string, inputSchema: JsonSchema, outputSchema: JsonSchema | null = null): RemoteTool {
  return {
    name,
    title: null,
    description: '',
    inputSchema,
    outputSchema,
    annotations: { readOnly: false, destructive: true, idempotent: false, openWorld: true },
  }
}

describe('remote MCP tool schemas', () => {
  it('reads a draft-07 schema as 2020-12 when it means the same, and says why not otherwise', () => {
    const plain = { type: 'object', properties: { a: { type: 'number' } }, $schema: DRAFT_07 }
    expect(normalizedSchema(plain)).toEqual({
      schema: { type: 'object', properties: { a: { type: 'number' } } },
    })
    const changed: JsonSchema[] = [
      {
        $schema: DRAFT_07,
        type: 'object',
        properties: { t: { type: 'array', items: [{ type: 'string' }] } },
      },
      { $schema: DRAFT_07, type: 'object', properties: { t: { type: 'array', additionalItems: false } } },
      { $schema: DRAFT_07, type: 'object', dependencies: { a: ['b'] } },
      { $schema: DRAFT_07, type: 'object', properties: { r: { $ref: '#/definitions/x', type: 'string' } } },
    ]
    for (const schema of changed) expect(normalizedSchema(schema)).toEqual({ error: expect.any(String) })
    // A value that only looks like a keyword is data.
    const data = { $schema: DRAFT_07, type: 'object', properties: { d: { default: { dependencies: 1 } } } }
    expect(normalizedSchema(data)).toHaveProperty('schema')
    expect(normalizedSchema({ $schema: 'https://example.com/my-dialect', type: 'object' })).toHaveProperty(
      'error',
    )
    const modern = { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }
    expect(normalizedSchema(modern)).toEqual({ schema: modern })
  })

  it('leaves out tools whose schemas do not compile strictly or reach outside (no fetch), with the reason', () => {
    const validator = new ToolValidator()
    const { tools, skipped } = snapshotTools(
      validator,
      [
        tool('ok-tool', { type: 'object', properties: {} }),
        tool('remote-ref', { type: 'object', properties: { a: { $ref: 'https://evil.example/s.json' } } }),
        tool('unknown-keyword', { type: 'object', frobnicate: true }),
        tool('not-object', { type: 'string' }),
        tool('bad-output', { type: 'object' }, { type: 'nonsense' }),
      ],
      'https://mcp.example/mcp',
    )
    expect(tools.map((t) => [t.name, t.definition.slug])).toEqual([['ok-tool', 'ok_tool']])
    expect(skipped.map((s) => s.name)).toEqual(['remote-ref', 'unknown-keyword', 'not-object', 'bad-output'])
    expect(tools[0]?.definition.annotations).toEqual({
      readOnly: false,
      destructive: true,
      idempotent: false,
    })
  })

  it('makes slugs of MCP names: lowercase, a letter first, 64 at most, clashes numbered', () => {
    const taken = new Set<string>()
    const take = (name: string) => {
      const slug = slugOf(name, taken)
      taken.add(slug)
      return slug
    }
    expect(take('get-sum')).toBe('get_sum')
    expect(take('Get.Sum')).toBe('get_sum_2')
    expect(take('9lives')).toBe('t_9lives')
    const long = take('x'.repeat(100))
    expect(long).toHaveLength(64)
    expect(take('x'.repeat(100))).toMatch(/^x{62}_2$/)
    for (const slug of taken) expect(slug).toMatch(/^[a-z][a-z0-9_]{0,63}$/)
  })

  it('keeps at most SNAPSHOT_MAX_BYTES of tools: the ones listed after are left out, with the reason', () => {
    const big = (n: number) =>
      tool(`big-${n}`, { type: 'object', properties: {}, description: 'x'.repeat(60_000) } as JsonSchema)
    const listed = Array.from({ length: 20 }, (_, n) => big(n))
    const { tools, skipped } = snapshotTools(new ToolValidator(), listed, 'https://mcp.example/mcp')
    expect(JSON.stringify(tools).length).toBeLessThanOrEqual(SNAPSHOT_MAX_BYTES)
    expect(tools.length).toBeGreaterThan(10)
    expect(tools.length + skipped.length).toBe(20)
    expect(skipped[0]?.reason).toContain('fill')
  })
})
