import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { JsonValue, ToolDefinition, ToolRequest } from '../../../src/providers/tool-definition.js'
import { ToolInputError } from '../../../src/tools/problems.js'
import { buildRequest } from '../../../src/tools/request.js'

const tool = (request: ToolRequest): ToolDefinition => ({
  slug: 'tool',
  displayName: 'Tool',
  description: 'A tool.',
  inputSchema: { type: 'object', additionalProperties: false },
  request,
  responseSchema: null,
  responseFieldMap: {},
  annotations: { readOnly: false },
  docsUrl: 'https://example.com/docs',
})

const text = (body: Uint8Array | null) => (body ? new TextDecoder().decode(body) : null)

function refusal(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    if (error instanceof ToolInputError) return error.problems
    throw error
  }
  throw new Error('expected a ToolInputError')
}

describe('buildRequest: path', () => {
  const issues = tool({ method: 'GET', path: '/repos/{owner}/{repo}/issues/{number}' })

  it.each<[Record<string, JsonValue>, string]>([
    [{ owner: 'acme', repo: 'api', number: 7 }, '/repos/acme/api/issues/7'],
    [{ owner: 'acme', repo: 'a/b', number: 7 }, '/repos/acme/a%2Fb/issues/7'],
    [{ owner: 'acme', repo: '../..', number: 7 }, '/repos/acme/..%2F../issues/7'],
    [{ owner: 'a c', repo: 'x?y#z%', number: 1 }, '/repos/a%20c/x%3Fy%23z%25/issues/1'],
    [{ owner: 'ö', repo: '...', number: 0 }, '/repos/%C3%B6/.../issues/0'],
  ])('%j → %s', (input, path) => {
    expect(buildRequest(issues, input)).toMatchObject({
      method: 'GET',
      path,
      query: '',
      body: null,
      contentType: null,
    })
  })

  it.each<[Record<string, JsonValue>, string]>([
    [{ owner: 'acme', repo: '..', number: 1 }, '/repo'],
    [{ owner: '.', repo: 'api', number: 1 }, '/owner'],
    [{ owner: '', repo: 'api', number: 1 }, '/owner'],
    [{ owner: 'acme', number: 1 }, '/repo'],
    [{ owner: 'acme', repo: null, number: 1 }, '/repo'],
    [{ owner: 'acme', repo: ['a'], number: 1 }, '/repo'],
    [{ owner: 'acme', repo: '\ud800', number: 1 }, '/repo'],
    [{ owner: 'acme', repo: '..;x', number: 1 }, '/repo'],
    [{ owner: ' .. ', repo: 'api', number: 1 }, '/owner'],
    [{ owner: '.;', repo: 'api', number: 1 }, '/owner'],
  ])('refuses %j at %s', (input, pointer) => {
    expect(refusal(() => buildRequest(issues, input))).toMatchObject([{ pointer }])
  })

  it('reads a dotted placeholder and keeps text around it in the segment', () => {
    const file = tool({ method: 'GET', path: '/files/{file.id}.json' })
    expect(buildRequest(file, { file: { id: 'a/b' } }).path).toBe('/files/a%2Fb.json')
  })

  it('keeps the literal prefix and the number of segments for any values', () => {
    const template = '/v1/repos/{owner}/x-{repo}/{id}'
    const dotty = fc
      .array(fc.constantFrom('.', '..', ';', ' ', '/', '%2e', 'a'), { maxLength: 4 })
      .map((pieces) => pieces.join(''))
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'grapheme' }),
        fc.oneof(fc.string(), dotty),
        (owner, repo, id) => {
          let path: string
          try {
            path = buildRequest(tool({ method: 'GET', path: template }), { owner, repo, id }).path
          } catch (error) {
            expect(error).toBeInstanceOf(ToolInputError)
            return
          }
          expect(path.startsWith('/v1/repos/')).toBe(true)
          expect(path.split('/')).toHaveLength(template.split('/').length)
          const readAs = path.split('/').map((segment) => decodeURIComponent(segment).split(';')[0]?.trim())
          expect(readAs.slice(1)).not.toContain('..')
          expect(readAs.slice(1)).not.toContain('.')
          expect(path).not.toMatch(/[?#]/)
        },
      ),
    )
  })
})

describe('buildRequest: query', () => {
  const search = tool({
    method: 'GET',
    path: '/search',
    query: {
      q: 'q',
      labels: 'labels',
      per_page: { const: 50 },
      draft: 'draft',
      state: 'state',
      page: 'page.number',
    },
  })

  it.each<[Record<string, JsonValue>, string]>([
    [{ q: 'a b&c=d' }, 'q=a%20b%26c%3Dd&per_page=50'],
    [{ labels: ['bug', 'p1'] }, 'labels=bug&labels=p1&per_page=50'],
    [{ draft: false, state: null }, 'per_page=50&draft=false'],
    [{ page: { number: 2 } }, 'per_page=50&page=2'],
    [{}, 'per_page=50'],
  ])('%j → %s', (input, query) => {
    expect(buildRequest(search, input).query).toBe(query)
  })
})

describe('buildRequest: body', () => {
  it('builds nested JSON from dotted paths, leaving absent inputs out', () => {
    const send = tool({
      method: 'POST',
      path: '/me/sendMail',
      headers: { 'x-api-version': '2' },
      body: {
        fields: {
          'message.subject': 'subject',
          'message.body.content': 'text',
          'message.body.contentType': { const: 'Text' },
          'message.toRecipients': 'to',
          saveToSentItems: 'save',
        },
      },
    })
    const built = buildRequest(send, {
      subject: 'Hi',
      text: 'Hello',
      to: [{ emailAddress: { address: 'a@b.c' } }],
    })
    expect(built.contentType).toBe('application/json')
    expect(built.headers).toEqual({ 'x-api-version': '2' })
    expect(JSON.parse(text(built.body) ?? '')).toEqual({
      message: {
        subject: 'Hi',
        body: { content: 'Hello', contentType: 'Text' },
        toRecipients: [{ emailAddress: { address: 'a@b.c' } }],
      },
    })
  })

  it('builds a form, nested values as JSON text (Slack blocks)', () => {
    const post = tool({
      method: 'POST',
      path: '/chat.postMessage',
      body: {
        format: 'form',
        fields: { channel: 'channel', text: 'text', blocks: 'blocks', unfurl_links: 'unfurl' },
      },
    })
    const built = buildRequest(post, {
      channel: 'C1',
      text: 'a b&c',
      blocks: [{ type: 'divider' }],
      unfurl: false,
    })
    expect(built.contentType).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(text(built.body) ?? ''))).toEqual({
      channel: 'C1',
      text: 'a b&c',
      blocks: '[{"type":"divider"}]',
      unfurl_links: 'false',
    })
  })

  it('never pollutes a prototype, whatever the input holds', () => {
    const nested = tool({ method: 'POST', path: '/x', body: { fields: { 'a.b': 'value', c: 'value' } } })
    const input = JSON.parse('{"value":{"__proto__":{"polluted":true}}}')
    const built = buildRequest(nested, input)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(text(built.body)).toBe(
      '{"a":{"b":{"__proto__":{"polluted":true}}},"c":{"__proto__":{"polluted":true}}}',
    )
    const bad = tool({ method: 'POST', path: '/x', body: { fields: { '__proto__.polluted': 'value' } } })
    expect(refusal(() => buildRequest(bad, { value: true }))).toMatchObject([
      { pointer: '/__proto__/polluted' },
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('sends {} when every body input is absent', () => {
    const update = tool({ method: 'PATCH', path: '/x', body: { fields: { title: 'title' } } })
    expect(text(buildRequest(update, {}).body)).toBe('{}')
  })

  it('reads body fields from the encoder output (Gmail raw)', () => {
    const send = tool({
      method: 'POST',
      path: '/gmail/v1/users/me/messages/send',
      encoder: 'rfc822_message',
      body: { fields: { raw: 'raw' } },
    })
    const built = buildRequest(send, { to: 'ada@example.com', subject: 'Hi', body: 'Hello' })
    const { raw } = JSON.parse(text(built.body) ?? '') as { raw: string }
    expect(Buffer.from(raw, 'base64url').toString()).toContain('To: ada@example.com\r\n')
  })
})
