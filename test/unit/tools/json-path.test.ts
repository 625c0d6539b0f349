import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JsonValue, ToolDefinition } from '../../../src/providers/tool-definition.js'
import { checkToolDefinitions } from '../../../src/tools/definition-check.js'
import { splitPath, valueAt } from '../../../src/tools/json-path.js'
import { mapResponse, staleFieldPaths } from '../../../src/tools/response.js'

const page = {
  '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#chats',
  '@odata.nextLink': 'https://graph.microsoft.com/v1.0/chats/19:x/messages?$skiptoken=abc',
  value: [{ id: '1', 'a.b': 'dotted' }],
}

const listTool = (responseFieldMap: Record<string, string>): ToolDefinition => ({
  slug: 'list_messages',
  displayName: 'List messages',
  description: 'List messages.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  request: { method: 'GET', path: '/messages' },
  responseSchema: {
    type: 'object',
    properties: {
      '@odata.nextLink': { type: 'string' },
      value: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } },
    },
  },
  responseFieldMap,
  annotations: { readOnly: true },
  docsUrl: 'https://learn.microsoft.com/en-us/graph/api/chat-list-messages',
})

describe('paths with a bracketed name', () => {
  it.each<[string, ReturnType<typeof splitPath>]>([
    [
      'a.b',
      [
        { name: 'a', literal: false },
        { name: 'b', literal: false },
      ],
    ],
    ["['@odata.nextLink']", [{ name: '@odata.nextLink', literal: true }]],
    [
      "value['a.b']",
      [
        { name: 'value', literal: false },
        { name: 'a.b', literal: true },
      ],
    ],
    [
      "x.['0'].1",
      [
        { name: 'x', literal: false },
        { name: '0', literal: true },
        { name: '1', literal: false },
      ],
    ],
    [
      'issues[].n',
      [
        { name: 'issues', literal: false },
        { name: '[]', literal: false },
        { name: 'n', literal: false },
      ],
    ],
    ['', null],
    ['a.', null],
    ["['a.b']c", null],
    ["['a", null],
  ])('%s splits as %j', (path, segments) => {
    expect(splitPath(path)).toEqual(segments)
  })

  it('read a key with dots, where the dotted path finds nothing', () => {
    expect(valueAt(page, "['@odata.nextLink']")).toBe(page['@odata.nextLink'])
    expect(valueAt(page, '@odata.nextLink')).toBeUndefined()
    expect(valueAt(page, "value.0['a.b']")).toBe('dotted')
    expect(valueAt({ 0: 'key' }, "['0']")).toBe('key')
    expect(valueAt(['item'], "['0']")).toBeUndefined()
  })

  it('map Graph’s @odata.nextLink to an output, and are checked against the response schema', () => {
    const tool = listTool({ 'ids[]': 'value[].id', nextLink: "['@odata.nextLink']" })
    expect(mapResponse(tool, page)).toEqual({ ids: ['1'], nextLink: page['@odata.nextLink'] })
    expect(checkToolDefinitions('teams', [tool])).toEqual([])
    expect(staleFieldPaths(listTool({ next: "['@odata.next']" }))).toEqual(["['@odata.next']"])
  })

  it.each([
    ["['__proto__']", /\/responseFieldMap/],
    ["a['constructor']", /\/responseFieldMap/],
    ["['a'b']", /\/responseFieldMap/],
  ])('refuse %s in a map', (path, problem) => {
    const problems = checkToolDefinitions('teams', [listTool({ next: path })])
    expect(
      problems.some((line) => problem.test(line)),
      problems.join('\n'),
    ).toBe(true)
  })

  it('read back any key through its bracketed form', () => {
    const key = fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((text) => !/['\]]/.test(text) && !['__proto__', 'constructor', 'prototype'].includes(text))
    fc.assert(
      fc.property(key, fc.jsonValue({ maxDepth: 2 }), (name, value) => {
        const body = { [name]: value as JsonValue }
        expect(valueAt({ wrap: body }, `wrap['${name}']`)).toEqual(value)
        expect(mapResponse(listTool({ out: `['${name}']` }), body)).toEqual(
          value === undefined ? {} : { out: value },
        )
        expect(
          checkToolDefinitions('t', [{ ...listTool({ out: `['${name}']` }), responseSchema: null }]),
        ).toEqual([])
      }),
      { numRuns: 40 },
    )
  })
})
