import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JsonSchema, JsonValue, ToolDefinition } from '../../../src/providers/tool-definition.js'
import { MAX_INPUT_BYTES, MAX_INPUT_DEPTH } from '../../../src/tools/input-guard.js'
import {
  COMPILE_CACHE_SIZE,
  mergedInputSchema,
  mergeInput,
  staleInputFields,
  type ToolSettings,
  ToolValidator,
  validateToolInput,
} from '../../../src/tools/validate.js'

const issueSchema: JsonSchema = {
  type: 'object',
  properties: {
    owner: { type: 'string', minLength: 1 },
    repo: { type: 'string', minLength: 1 },
    title: { type: 'string', maxLength: 20 },
    labels: { type: 'array', items: { type: 'string' } },
    due: { type: 'string', format: 'date' },
  },
  required: ['owner', 'repo', 'title'],
  additionalProperties: false,
}

const createIssue: ToolDefinition = {
  slug: 'create_issue',
  displayName: 'Create issue',
  description: 'Open an issue.',
  inputSchema: issueSchema,
  request: { method: 'POST', path: '/repos/{owner}/{repo}/issues', body: { fields: { title: 'title' } } },
  responseSchema: null,
  responseFieldMap: {},
  annotations: { readOnly: false },
  docsUrl: 'https://docs.github.com/rest/issues/issues#create-an-issue',
}

const settings = (inputDefaults: Record<string, JsonValue>, pinnedFields: string[] = []): ToolSettings => ({
  inputDefaults,
  pinnedFields,
})

describe('mergedInputSchema', () => {
  it('removes pinned fields and shows defaults, which are no longer required', () => {
    const merged = mergedInputSchema(createIssue, settings({ owner: 'acme', repo: 'api' }, ['owner']))
    expect(Object.keys(merged.properties as object)).toEqual(['repo', 'title', 'labels', 'due'])
    expect((merged.properties as Record<string, JsonValue>).repo).toEqual({
      type: 'string',
      minLength: 1,
      default: 'api',
    })
    expect(merged.required).toEqual(['title'])
    expect(merged.additionalProperties).toBe(false)
  })

  it('leaves the definition untouched and drops an empty required list', () => {
    const before = JSON.stringify(createIssue.inputSchema)
    const merged = mergedInputSchema(createIssue, settings({ owner: 'a', repo: 'b', title: 'c' }))
    expect(merged.required).toBeUndefined()
    expect(JSON.stringify(createIssue.inputSchema)).toBe(before)
  })

  it('compiles, and refuses a pinned field the agent sends', () => {
    const merged = mergedInputSchema(createIssue, settings({ owner: 'acme' }, ['owner']))
    const validator = new ToolValidator()
    expect(validator.compiles(merged)).toBeNull()
    expect(validator.check(merged, { repo: 'api', title: 'x', owner: 'evil' })).toEqual({
      ok: false,
      errors: [{ pointer: '/owner', message: 'is not allowed' }],
    })
  })
})

describe('mergeInput', () => {
  it.each([
    [settings({ state: 'open' }), { title: 'x' }, { state: 'open', title: 'x' }],
    [settings({ state: 'open' }), { state: 'all' }, { state: 'all' }],
    [settings({ owner: 'acme' }, ['owner']), { owner: 'evil', title: 'x' }, { owner: 'acme', title: 'x' }],
    [settings({}, ['owner']), { owner: 'evil' }, { owner: 'evil' }],
  ])('%j ⊕ %j', (given, input, expected) => {
    expect(mergeInput(given, input)).toEqual(expected)
  })

  it('never lets input override a pin', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue() as fc.Arbitrary<JsonValue>),
        fc.dictionary(fc.string(), fc.jsonValue() as fc.Arbitrary<JsonValue>),
        (defaults, input) => {
          const pinned = Object.keys(defaults).filter((_, index) => index % 2 === 0)
          const merged = mergeInput(settings(defaults, pinned), input)
          for (const field of pinned) expect(merged[field]).toEqual(defaults[field])
        },
      ),
    )
  })
})

describe('validateToolInput', () => {
  const validator = new ToolValidator()

  it('refuses input naming a pinned field, with its pointer', () => {
    expect(
      validateToolInput(validator, createIssue, settings({ owner: 'acme' }, ['owner']), { owner: 'x' }),
    ).toEqual({
      ok: false,
      errors: [{ pointer: '/owner', message: 'is pinned by the owner' }],
    })
  })

  it('checks defaults ⊕ input ⊕ pins against the tool schema and returns the merged input', () => {
    const result = validateToolInput(
      validator,
      createIssue,
      settings({ owner: 'acme', repo: 'api' }, ['owner']),
      {
        repo: 'web',
        title: 'Bug',
      },
    )
    expect(result).toEqual({ ok: true, input: { owner: 'acme', repo: 'web', title: 'Bug' } })
  })

  it('reports what the merged input lacks', () => {
    const result = validateToolInput(validator, createIssue, settings({}), { owner: 'a' })
    expect(result).toEqual({
      ok: false,
      errors: [
        { pointer: '/repo', message: 'is required' },
        { pointer: '/title', message: 'is required' },
      ],
    })
  })

  it('refuses input that is not an object', () => {
    expect(validateToolInput(validator, createIssue, settings({}), ['a'])).toMatchObject({ ok: false })
  })
})

describe('ToolValidator', () => {
  const validator = new ToolValidator()

  it.each<[string, unknown, Array<{ pointer: string; message?: string }>]>([
    ['a missing property', { owner: 'a', repo: 'b' }, [{ pointer: '/title', message: 'is required' }]],
    [
      'an extra property',
      { owner: 'a', repo: 'b', title: 'c', x: 1 },
      [{ pointer: '/x', message: 'is not allowed' }],
    ],
    ['a wrong type', { owner: 'a', repo: 'b', title: 3 }, [{ pointer: '/title', message: 'must be string' }]],
    ['an item', { owner: 'a', repo: 'b', title: 'c', labels: ['x', 2] }, [{ pointer: '/labels/1' }]],
    ['a format', { owner: 'a', repo: 'b', title: 'c', due: 'tomorrow' }, [{ pointer: '/due' }]],
    ['maxLength', { owner: 'a', repo: 'b', title: 'x'.repeat(21) }, [{ pointer: '/title' }]],
    ['an escaped name', { owner: 'a', repo: 'b', title: 'c', 'a/b~c': 1 }, [{ pointer: '/a~1b~0c' }]],
  ])('points at %s', (_, value, expected) => {
    const result = validator.check(issueSchema, value)
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.errors).toMatchObject(expected)
  })

  it('accepts a valid value and never fills in defaults', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer', default: 3 } } }
    const value = {}
    expect(validator.check(schema, value)).toEqual({ ok: true })
    expect(value).toEqual({})
  })

  it.each([
    ['__proto__', JSON.parse('{"owner":"a","repo":"b","title":"c","__proto__":{"x":1}}'), '/__proto__'],
    [
      'constructor',
      { owner: 'a', repo: 'b', title: 'c', labels: [{ constructor: 1 }] },
      '/labels/0/constructor',
    ],
    ['prototype', { prototype: 1 }, '/prototype'],
  ])('refuses a %s key anywhere, with its pointer', (_, value, pointer) => {
    const result = validator.check({ type: 'object' }, value)
    expect(result).toMatchObject({ ok: false, errors: [{ pointer }] })
  })

  it('refuses oversized and too deeply nested input', () => {
    expect(validator.check({}, { text: 'x'.repeat(MAX_INPUT_BYTES) })).toMatchObject({
      ok: false,
      errors: [{ pointer: '' }],
    })
    let deep: JsonValue = 'leaf'
    for (let level = 0; level < MAX_INPUT_DEPTH + 1; level++) deep = { a: deep }
    expect(validator.check({}, deep)).toMatchObject({ ok: false })
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(validator.check({}, cyclic)).toMatchObject({ ok: false })
  })

  it.each<[string, JsonSchema]>([
    ['an unknown keyword', { type: 'object', propertiez: {} }],
    ['a remote $ref', { $ref: 'https://example.com/schema.json' }],
    ['a bad type', { type: 'strng' }],
    ['an unknown format', { type: 'string', format: 'nope' }],
  ])('says why a schema with %s does not compile, and check() reports it', (_, schema) => {
    expect(validator.compiles(schema)).toMatch(/does not compile/)
    expect(validator.check(schema, {})).toMatchObject({ ok: false, errors: [{ pointer: '' }] })
  })

  it('compiles two schemas with the same $id', () => {
    expect(validator.compiles({ $id: 'https://x.test/a', type: 'string' })).toBeNull()
    expect(validator.compiles({ $id: 'https://x.test/a', type: 'number' })).toBeNull()
  })

  it('stays bounded: evicts the oldest compiled schema and can compile it again', () => {
    const own = new ToolValidator()
    for (let index = 0; index <= COMPILE_CACHE_SIZE; index++)
      own.compiles({ type: 'string', maxLength: index })
    expect(own.check({ type: 'string', maxLength: 0 }, 'x')).toMatchObject({ ok: false })
  })

  it('never throws, for any JSON value against any of a set of schemas', () => {
    const schemas: JsonSchema[] = [
      issueSchema,
      { type: 'array', items: { type: 'object', additionalProperties: { type: 'number' } } },
      {
        anyOf: [
          { type: 'string', pattern: '^a+$' },
          { type: 'integer', minimum: 0 },
        ],
      },
      { type: 'object', patternProperties: { '^x': { type: 'string', format: 'email' } } },
      {
        $defs: { node: { type: 'object', properties: { next: { $ref: '#/$defs/node' } } } },
        $ref: '#/$defs/node',
      },
      { type: 'string', format: 'date-time' },
    ]
    fc.assert(
      fc.property(fc.constantFrom(...schemas), fc.jsonValue(), (schema, value) => {
        const result = validator.check(schema, value)
        if (!result.ok) for (const error of result.errors) expect(error.pointer).toMatch(/^(\/.*)?$/)
      }),
    )
  })
})

describe('staleInputFields', () => {
  it('names defaults and pins the schema no longer has', () => {
    const renamed: ToolDefinition = {
      ...createIssue,
      inputSchema: { ...issueSchema, properties: { org: { type: 'string' }, repo: { type: 'string' } } },
    }
    expect(staleInputFields(renamed, settings({ owner: 'acme', repo: 'api' }, ['owner', 'title']))).toEqual([
      'owner',
      'title',
    ])
    expect(staleInputFields(createIssue, settings({ owner: 'acme' }, ['owner']))).toEqual([])
  })
})

describe('input limits', () => {
  it('refuses many small fields that add up to more than the limit', () => {
    const huge = Array.from({ length: 200_000 }, (_, index) => ({ [`k${index}`]: 'x'.repeat(10) }))
    const result = new ToolValidator().check({}, huge)
    expect(result).toEqual({
      ok: false,
      errors: [{ pointer: '', message: `must not be larger than ${MAX_INPUT_BYTES} bytes` }],
    })
  })
})
