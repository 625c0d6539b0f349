import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JsonValue, ToolDefinition, ToolValue } from '../../../src/providers/tool-definition.js'
import { checkToolDefinitions } from '../../../src/tools/definition-check.js'
import { ToolInputError } from '../../../src/tools/problems.js'
import { buildRequest } from '../../../src/tools/request.js'

const properties = { id: { type: 'string' }, text: { type: 'string' }, more: { type: 'string' } }
const tool = (fields: Record<string, ToolValue>): ToolDefinition => ({
  slug: 'append_paragraph',
  displayName: 'Append paragraph',
  description: 'Append a paragraph.',
  inputSchema: { type: 'object', properties, additionalProperties: false },
  request: { method: 'PATCH', path: '/blocks/children', body: { fields } },
  responseSchema: null,
  responseFieldMap: {},
  annotations: { readOnly: false },
  docsUrl: 'https://developers.notion.com/reference/patch-block-children',
})

const json = (definition: ToolDefinition, input: Record<string, JsonValue>): unknown => {
  const { body } = buildRequest(definition, input)
  return body ? JSON.parse(new TextDecoder().decode(body)) : null
}

const paragraph = tool({
  'children.0.object': { const: 'block' },
  'children.0.type': { const: 'paragraph' },
  'children.0.paragraph.rich_text.0.type': { const: 'text' },
  'children.0.paragraph.rich_text.0.text.content': 'text',
})

describe('body field paths with array indexes', () => {
  it('build arrays: Notion’s paragraph block from plain text', () => {
    expect(json(paragraph, { id: 'b', text: 'Hello' })).toEqual({
      children: [
        {
          object: 'block',
          type: 'paragraph',
          paragraph: { rich_text: [{ type: 'text', text: { content: 'Hello' } }] },
        },
      ],
    })
  })

  it('close up a position whose input is absent, keeping the others in order', () => {
    const list = tool({ 'list.0': 'more', 'list.1': 'text', 'list.2.name': 'id' })
    expect(json(list, { id: 'b', text: 'T' })).toEqual({ list: ['T', { name: 'b' }] })
    expect(json(list, { more: 'M' })).toEqual({ list: ['M'] })
    expect(json(list, {})).toEqual({})
  })

  it('never index past 100, and never reach a prototype through an array item', () => {
    for (const fields of [{ 'list.101': 'text' }, { 'list.0.__proto__.x': 'text' }] as Record<
      string,
      ToolValue
    >[]) {
      expect(() => buildRequest(tool(fields), { text: 'x' })).toThrow(ToolInputError)
    }
    expect(json(tool({ 'list.100': 'text' }), { text: 'x' })).toEqual({ list: ['x'] })
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it('fill two positions from two inputs, leaving the input as it was', () => {
    const input: Record<string, JsonValue> = { text: 'T', id: 'I' }
    const mixed = tool({ 'list.0': 'text', 'list.1': 'id' })
    expect(json(mixed, input)).toEqual({ list: ['T', 'I'] })
    expect(input).toEqual({ text: 'T', id: 'I' })
  })

  it('give a dense array of the present values in index order, for any indexes and inputs', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.option(fc.string({ maxLength: 4 }), { nil: undefined }), {
          minLength: 12,
          maxLength: 12,
        }),
        (indexes, values) => {
          const fields = Object.fromEntries(indexes.map((index, n) => [`list.${index}.v`, `f${n}`]))
          const input: Record<string, JsonValue> = {}
          for (const [n, value] of values.entries()) if (value !== undefined) input[`f${n}`] = value
          const definition = { ...tool(fields), inputSchema: { type: 'object', additionalProperties: false } }
          const body = json(definition, input) as { list?: { v: string }[] }
          const expected = indexes
            .map((index, n) => [index, input[`f${n}`]] as const)
            .filter(([, value]) => value !== undefined)
            .sort(([a], [b]) => a - b)
            .map(([, value]) => ({ v: value }))
          expect(body.list ?? []).toEqual(expected)
          expect(Object.keys(body.list ?? [])).toHaveLength(expected.length)
        },
      ),
    )
  })
})

describe('checkToolDefinitions: body arrays', () => {
  it('accepts an array built in order', () => {
    expect(checkToolDefinitions('notion', [paragraph])).toEqual([])
  })

  it.each<[string, Record<string, ToolValue>, RegExp]>([
    ['an index past 100', { 'list.101': 'text' }, /"list\.101" indexes an array past 100/],
    ['a hole', { 'list.0': 'text', 'list.2': 'id' }, /leave "list\.1" empty/],
    ['a hole at 0', { 'a.b.1.c': 'text' }, /leave "a\.b\.0" empty/],
    ['a place used as array and object', { 'list.0': 'text', 'list.name': 'id' }, /"list" both as an array/],
  ])('reports %s', (_, fields, problem) => {
    const problems = checkToolDefinitions('notion', [tool(fields)])
    expect(
      problems.some((line) => problem.test(line)),
      problems.join('\n'),
    ).toBe(true)
  })
})
