import { describe, expect, it } from 'vitest'
import type { ToolDefinition } from '../../../src/providers/tool-definition.js'
import { checkToolDefinitions, toolDefinitionSchema } from '../../../src/tools/definition-check.js'
import { ToolValidator } from '../../../src/tools/validate.js'

const createIssue: ToolDefinition = {
  slug: 'create_issue',
  displayName: 'Create issue',
  description: 'Open an issue in a repository.',
  inputSchema: {
    type: 'object',
    properties: {
      owner: { type: 'string' },
      repo: { type: 'string' },
      title: { type: 'string', maxLength: 256 },
      labels: { type: 'array', items: { type: 'string' } },
    },
    required: ['owner', 'repo', 'title'],
    additionalProperties: false,
  },
  request: {
    method: 'POST',
    path: '/repos/{owner}/{repo}/issues',
    body: { fields: { title: 'title', labels: 'labels' } },
  },
  responseSchema: {
    type: 'object',
    properties: { number: { type: 'integer' }, html_url: { type: 'string' } },
  },
  responseFieldMap: { number: 'number', url: 'html_url' },
  annotations: { readOnly: false },
  docsUrl: 'https://docs.github.com/rest/issues/issues#create-an-issue',
}

const postMessage: ToolDefinition = {
  slug: 'post_message',
  displayName: 'Post message',
  description: 'Post a message to a channel.',
  inputSchema: {
    type: 'object',
    properties: { channel: { type: 'string' }, text: { type: 'string' } },
    required: ['channel', 'text'],
    additionalProperties: false,
  },
  request: {
    method: 'POST',
    path: '/chat.postMessage',
    body: { format: 'form', fields: { channel: 'channel', text: 'text' } },
  },
  responseSchema: { type: 'object', properties: { ok: { type: 'boolean' }, ts: { type: 'string' } } },
  responseFieldMap: { ts: 'ts' },
  success: { path: 'ok', equals: true, errorPath: 'error' },
  annotations: { readOnly: false },
  docsUrl: 'https://api.slack.com/methods/chat.postMessage',
}

const sendEmail: ToolDefinition = {
  slug: 'send_email',
  displayName: 'Send email',
  description: 'Send a plain text email.',
  inputSchema: {
    type: 'object',
    properties: {
      to: { type: 'array', items: { type: 'string', format: 'email' }, minItems: 1 },
      subject: { type: 'string' },
      body: { type: 'string' },
    },
    required: ['to'],
    additionalProperties: false,
  },
  request: {
    method: 'POST',
    path: '/gmail/v1/users/me/messages/send',
    encoder: 'rfc822_message',
    body: { fields: { raw: 'raw' } },
  },
  responseSchema: { type: 'object', properties: { id: { type: 'string' }, threadId: { type: 'string' } } },
  responseFieldMap: { id: 'id' },
  annotations: { readOnly: false },
  docsUrl: 'https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send',
}

type Change = (tool: ToolDefinition) => unknown

function changed(base: ToolDefinition, change: Change): ToolDefinition {
  const copy = structuredClone(base)
  change(copy)
  return copy
}

describe('toolDefinitionSchema', () => {
  it('compiles in strict mode', () => {
    expect(new ToolValidator().compiles(toolDefinitionSchema)).toBeNull()
  })
})

describe('checkToolDefinitions', () => {
  it('accepts GitHub, Slack and Gmail style tools', () => {
    expect(checkToolDefinitions('test', [createIssue, postMessage, sendEmail])).toEqual([])
  })

  it.each<[string, ToolDefinition, Change, RegExp]>([
    [
      'a bad slug',
      createIssue,
      (tool) => (tool.slug = 'Create-Issue'),
      /^github\/Create-Issue: \/slug must match/,
    ],
    [
      'an unknown method',
      createIssue,
      (tool) => ((tool.request as { method: string }).method = 'TRACE'),
      /\/request\/method/,
    ],
    ['an http docsUrl', createIssue, (tool) => (tool.docsUrl = 'http://docs.github.com'), /\/docsUrl/],
    ['an unknown member', createIssue, (tool) => Object.assign(tool, { extra: 1 }), /\/extra is not allowed/],
    ['a path with a query', createIssue, (tool) => (tool.request.path = '/repos?x=1'), /\/request\/path/],
    [
      'no additionalProperties: false',
      createIssue,
      (tool) => delete tool.inputSchema.additionalProperties,
      /\/inputSchema\/additionalProperties is required/,
    ],
    [
      'an input schema that is not an object',
      createIssue,
      (tool) => (tool.inputSchema.type = 'array'),
      /\/inputSchema\/type/,
    ],
    [
      'a prototype key in a body path',
      createIssue,
      (tool) => (tool.request.body = { fields: { 'a.__proto__': 'title' } }),
      /\/request\/body\/fields/,
    ],
    [
      'a prototype key in an output',
      createIssue,
      (tool) => (tool.responseFieldMap = { constructor: 'number' }),
      /\/responseFieldMap/,
    ],
    [
      'a header with a line break',
      createIssue,
      (tool) => (tool.request.headers = { 'x-a': 'b\r\nc: d' }),
      /\/request\/headers\/x-a/,
    ],
    [
      'an input schema that does not compile',
      createIssue,
      (tool) => (tool.inputSchema.properties = { owner: { type: 'strin' } }),
      /inputSchema: the schema does not compile/,
    ],
    [
      'a response schema that does not compile',
      createIssue,
      (tool) => (tool.responseSchema = { type: 'object', propertys: {} }),
      /responseSchema: the schema does not compile/,
    ],
    [
      'a placeholder naming no input',
      createIssue,
      (tool) => (tool.request.path = '/repos/{org}/{repo}/issues'),
      /path placeholder \{org\} reads "org", which inputSchema does not have/,
    ],
    [
      'a body field naming no input',
      createIssue,
      (tool) => (tool.request.body = { fields: { title: 'name' } }),
      /a body field reads "name"/,
    ],
    [
      'a query naming no input',
      createIssue,
      (tool) => (tool.request.query = { state: 'state', per_page: { const: 10 } }),
      /a query parameter reads "state"/,
    ],
    [
      'a body field neither the encoder nor the input has',
      sendEmail,
      (tool) => (tool.request.body = { fields: { raw: 'raw', threadId: 'threadId' } }),
      /a body field \(not written by rfc822_message\) reads "threadId", which inputSchema does not have/,
    ],
    [
      'an encoder input the schema lacks',
      sendEmail,
      (tool) => delete (tool.inputSchema.properties as Record<string, unknown>).to,
      /rfc822_message reads "to"/,
    ],
    [
      'a credential header',
      createIssue,
      (tool) => (tool.request.headers = { Authorization: 'Bearer x' }),
      /header Authorization is set by the router/,
    ],
    [
      'a stale response path',
      createIssue,
      (tool) => (tool.responseFieldMap = { url: 'url' }),
      /responseFieldMap reads "url", which responseSchema does not have/,
    ],
    [
      'more [] in the output than the source',
      createIssue,
      (tool) => (tool.responseFieldMap = { 'n[]': 'number' }),
      /has more \[\] than its response path/,
    ],
    [
      'a list output mixed with named ones',
      createIssue,
      (tool) => (tool.responseFieldMap = { '[].n': 'number', url: 'html_url' }),
      /mixes a list output/,
    ],
  ])('reports %s', (_, base, change, problem) => {
    const problems = checkToolDefinitions('github', [changed(base, change)])
    expect(problems.length).toBeGreaterThan(0)
    expect(problems.some((line) => problem.test(line))).toBe(true)
    for (const line of problems) expect(line).toMatch(/^github\//)
  })

  it('reports a renamed input field the request still reads, and a dropped response field', () => {
    const renamed = changed(createIssue, (tool) => {
      tool.inputSchema.properties = {
        org: { type: 'string' },
        repo: { type: 'string' },
        title: { type: 'string' },
      }
      tool.inputSchema.required = ['org', 'repo', 'title']
      tool.responseSchema = {
        type: 'object',
        properties: { id: { type: 'integer' }, html_url: { type: 'string' } },
      }
    })
    expect(checkToolDefinitions('github', [renamed])).toEqual([
      'github/create_issue: path placeholder {owner} reads "owner", which inputSchema does not have',
      'github/create_issue: a body field reads "labels", which inputSchema does not have',
      'github/create_issue: responseFieldMap reads "number", which responseSchema does not have',
    ])
  })

  it('reports duplicate slugs', () => {
    expect(checkToolDefinitions('github', [createIssue, createIssue])).toEqual([
      'github/create_issue: the slug is used by another tool of github',
    ])
  })

  it('allows a read-only tool with a non-GET method (Slack reads are POSTs)', () => {
    const history = changed(postMessage, (tool) => {
      tool.slug = 'read_history'
      tool.annotations = { readOnly: true }
    })
    expect(checkToolDefinitions('slack', [history])).toEqual([])
  })
})
