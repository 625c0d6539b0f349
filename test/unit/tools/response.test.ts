import { describe, expect, it } from 'vitest'
import type { JsonSchema, JsonValue, ToolDefinition } from '../../../src/providers/tool-definition.js'
import {
  checkSuccess,
  MAX_PROVIDER_MESSAGE,
  mapResponse,
  staleFieldPaths,
} from '../../../src/tools/response.js'

const tool = (extra: Partial<ToolDefinition>): ToolDefinition => ({
  slug: 'tool',
  displayName: 'Tool',
  description: 'A tool.',
  inputSchema: { type: 'object', additionalProperties: false },
  request: { method: 'GET', path: '/x' },
  responseSchema: null,
  responseFieldMap: {},
  annotations: { readOnly: true },
  docsUrl: 'https://example.com/docs',
  ...extra,
})

describe('checkSuccess', () => {
  const slack = tool({ success: { path: 'ok', equals: true, errorPath: 'error' } })
  const graphql = tool({ success: { path: 'errors', absent: true, errorPath: 'errors.0.message' } })

  it.each<[string, ToolDefinition, JsonValue, string | null]>([
    ['no check', tool({}), { ok: false }, null],
    ['slack ok', slack, { ok: true, ts: '1' }, null],
    ['slack error', slack, { ok: false, error: 'channel_not_found' }, 'channel_not_found'],
    ['slack ok missing', slack, { error: 'x' }, 'x'],
    ['slack ok "true" is not true', slack, { ok: 'true' }, 'the provider reported a failure'],
    ['graphql data', graphql, { data: { viewer: {} } }, null],
    ['graphql errors null', graphql, { data: {}, errors: null }, null],
    ['graphql errors', graphql, { errors: [{ message: 'Field "x" not found' }] }, 'Field "x" not found'],
    ['not an object', slack, [1, 2], 'the provider reported a failure'],
    ['a non-string message', slack, { ok: false, error: { code: 7 } }, '{"code":7}'],
    ['control characters', slack, { ok: false, error: 'a\r\nb' }, 'a  b'],
  ])('%s', (_, definition, body, expected) => {
    expect(checkSuccess(definition, body)).toBe(expected)
  })

  it('compares objects by value and caps the message', () => {
    const equals = tool({ success: { path: 'status', equals: { state: 'done' }, errorPath: 'detail' } })
    expect(checkSuccess(equals, { status: { state: 'done' } })).toBeNull()
    const message = checkSuccess(equals, { status: { state: 'failed' }, detail: 'é'.repeat(1000) }) ?? ''
    expect([...message]).toHaveLength(MAX_PROVIDER_MESSAGE)
  })
})

describe('mapResponse', () => {
  it('passes the body through with an empty map', () => {
    const body = { a: [1, { b: 2 }] }
    expect(mapResponse(tool({}), body)).toBe(body)
  })

  it.each<[Record<string, string>, JsonValue, JsonValue]>([
    [
      { number: 'number', url: 'html_url' },
      { number: 7, html_url: 'https://x', body: '…' },
      { number: 7, url: 'https://x' },
    ],
    [
      { 'issues[].number': '[].number', 'issues[].title': '[].title' },
      [
        { number: 1, title: 'A', body: '…' },
        { number: 2, body: '…' },
      ],
      { issues: [{ number: 1, title: 'A' }, { number: 2 }] },
    ],
    [
      { 'titles[]': 'items[].title' },
      { items: [{ title: 'A' }, {}, { title: 'C' }] },
      { titles: ['A', null, 'C'] },
    ],
    [{ '[].id': 'data.children[].data.id' }, { data: { children: [{ data: { id: 'a' } }] } }, [{ id: 'a' }]],
    [
      { 'user.name': 'profile.real_name', 'user.id': 'id' },
      { id: 'U1', profile: { real_name: 'Ada' } },
      { user: { name: 'Ada', id: 'U1' } },
    ],
    [{ first: 'items.0.id', missing: 'nope.deeper' }, { items: [{ id: 9 }] }, { first: 9 }],
    [
      { 'files[].tags[]': 'files[].labels[].name' },
      { files: [{ labels: [{ name: 'x' }, { name: 'y' }] }, { labels: [] }] },
      { files: [{ tags: ['x', 'y'] }, { tags: [] }] },
    ],
    [{ ts: 'ts' }, [1, 2], {}],
    [{ '[].id': '[].id' }, { not: 'a list' }, []],
    [
      { whole: 'channel' },
      { channel: { id: 'C1', name: 'general' } },
      { whole: { id: 'C1', name: 'general' } },
    ],
  ])('%j', (map, body, expected) => {
    expect(mapResponse(tool({ responseFieldMap: map }), body)).toEqual(expected)
  })

  it('never writes through a prototype key', () => {
    const mapped = mapResponse(tool({ responseFieldMap: { '__proto__.polluted': 'x', ok: 'x' } }), {
      x: true,
    })
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(mapped).toEqual({ ok: true })
  })
})

describe('staleFieldPaths', () => {
  const issue: JsonSchema = {
    type: 'object',
    properties: {
      number: { type: 'integer' },
      html_url: { type: 'string' },
      user: { anyOf: [{ type: 'null' }, { $ref: '#/$defs/user' }] },
      labels: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
      extra: { type: 'object' },
    },
    $defs: { user: { type: 'object', properties: { login: { type: 'string' } } } },
  }
  const listed: JsonSchema = { type: 'array', items: issue }

  it.each<[string, JsonSchema, string[]]>([
    ['number', issue, []],
    ['user.login', issue, []],
    ['user.id', issue, ['user.id']],
    ['labels[].name', issue, []],
    ['labels.0.name', issue, []],
    ['labels[].color', issue, ['labels[].color']],
    ['title', issue, ['title']],
    ['number.value', issue, ['number.value']],
    ['html_url[]', issue, ['html_url[]']],
    ['extra.anything.below', issue, []],
    ['[].number', listed, []],
    ['[].title', listed, ['[].title']],
    ['number', listed, ['number']],
    ['a.b', { type: 'object' }, []],
    ['a', { type: 'object', additionalProperties: false }, ['a']],
    ['a.b', { type: 'object', additionalProperties: { type: 'object', properties: { b: {} } } }, []],
    ['x1', { type: 'object', properties: {}, patternProperties: { '^x': {} } }, []],
    ['a', { allOf: [{ properties: { b: {} } }, { properties: { a: {} } }] }, []],
    ['c', { allOf: [{ properties: { b: {} } }, { properties: { a: {} } }] }, ['c']],
    ['a', { $ref: 'https://example.com/remote.json' }, []],
  ])('%s in %j', (path, responseSchema, stale) => {
    expect(staleFieldPaths(tool({ responseSchema, responseFieldMap: { out: path } }))).toEqual(stale)
  })

  it('finds the paths a changed response schema dropped or renamed', () => {
    const map = { number: 'number', url: 'html_url', author: 'user.login' }
    expect(staleFieldPaths(tool({ responseSchema: issue, responseFieldMap: map }))).toEqual([])
    const renamed: JsonSchema = {
      ...issue,
      properties: { id: { type: 'integer' }, url: { type: 'string' }, user: { $ref: '#/$defs/user' } },
      $defs: { user: { type: 'object', properties: { name: { type: 'string' } } } },
    }
    expect(staleFieldPaths(tool({ responseSchema: renamed, responseFieldMap: map }))).toEqual([
      'number',
      'html_url',
      'user.login',
    ])
  })

  it('is empty without a response schema', () => {
    expect(staleFieldPaths(tool({ responseFieldMap: { a: 'b' } }))).toEqual([])
  })

  it('survives a recursive $ref', () => {
    const tree: JsonSchema = {
      $defs: { node: { type: 'object', properties: { child: { $ref: '#/$defs/node' }, v: {} } } },
      $ref: '#/$defs/node',
    }
    expect(
      staleFieldPaths(
        tool({ responseSchema: tree, responseFieldMap: { a: 'child.child.child.v', b: 'child.w' } }),
      ),
    ).toEqual(['child.w'])
  })
})
