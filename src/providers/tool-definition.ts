/**
 * Tools as data: a named, schema-described call an agent can make on a connection. A preset carries a
 * list of these; nothing in a definition is code, so every preset's tools can be checked by one JSON
 * Schema and listed without running anything. Behaviour that data cannot express (Gmail's RFC 822
 * message, say) is an encoder named in `request.encoder` and implemented once in tools/.
 */

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** A JSON Schema (2020-12) document; `inputSchema` must be `type: 'object'`. */
export type JsonSchema = { [key: string]: JsonValue }

/**
 * Where a request value comes from: the name of an input field (a dotted path for nested input,
 * `labels` or `event.start`), or a constant. An input field that is absent is left out of the request.
 */
export type ToolValue = string | { const: JsonValue }

/** Encoders for what data cannot express; each is implemented once in tools/ and tested there. */
export type ToolEncoder =
  /**
   * Gmail: `to`, `cc`, `bcc` (a string or a list), `subject`, `body` (text), and for a reply
   * `inReplyTo` (a Message-ID, `<id@host>`) and `references` (one or a list) → `{ raw }`, a base64url
   * RFC 822 message; a line break in any header value, or a Message-ID that is not one, is refused (422).
   */
  'rfc822_message'

/**
 * How the call is made, relative to the connection's API base URL (the preset's `apiBaseUrl`, or the
 * connection's own one).
 *
 * @example
 * // GitHub: POST /repos/{owner}/{repo}/issues with a JSON body { title, body, labels }
 * { method: 'POST', path: '/repos/{owner}/{repo}/issues',
 *   body: { fields: { title: 'title', body: 'body', labels: 'labels' } } }
 * @example
 * // Slack's Web API takes forms: POST /chat.postMessage channel=…&text=…
 * { method: 'POST', path: '/chat.postMessage', body: { format: 'form', fields: { channel: 'channel', text: 'text' } } }
 * @example
 * // A number in a body path makes an array: Notion's one paragraph from plain `text`
 * // → { children: [{ type: 'paragraph', paragraph: { rich_text: [{ text: { content: '…' } }] } }] }
 * { method: 'PATCH', path: '/blocks/{block_id}/children', body: { fields: {
 *   'children.0.type': { const: 'paragraph' }, 'children.0.paragraph.rich_text.0.text.content': 'text' } } }
 */
export interface ToolRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** `{field}` placeholders are replaced by input fields, percent-encoded as one path segment. */
  path: string
  /** Query parameter name → value. Arrays repeat the parameter; absent inputs are left out. */
  query?: Record<string, ToolValue>
  /**
   * The body: `format` json (default) or form; `fields` maps a dotted path in the body
   * (`message.subject`, `body.content`) to its value. A numeric segment (`children.0.type`) makes or
   * indexes an array: at most index 100, and the fields of one array must use every index from 0 up
   * (checked by `checkToolDefinitions`); a position whose input is absent is closed up, so the array
   * has no holes.
   */
  body?: { format?: 'json' | 'form'; fields: Record<string, ToolValue> }
  /**
   * Runs on the merged input before the body is built; the body's `fields` then read the encoder's
   * output merged over the input (the encoder's name wins on a clash). Path and query read the input.
   *
   * @example
   * // Gmail: the encoded message plus the thread it belongs to → { raw: '…', threadId: '18c…' }
   * { method: 'POST', path: '/gmail/v1/users/me/messages/send', encoder: 'rfc822_message',
   *   body: { fields: { raw: 'raw', threadId: 'threadId' } } }
   */
  encoder?: ToolEncoder
  /** Extra headers (never credentials: the connection's are added by the router). */
  headers?: Record<string, string>
}

/**
 * For APIs that answer 200 with a failure inside: the call failed unless the value at `path` is
 * `equals` (Slack: `{ path: 'ok', equals: true, errorPath: 'error' }`), or, with `absent`, unless
 * there is no value there (GraphQL: `{ path: 'errors', absent: true, errorPath: 'errors.0.message' }`).
 * The message is read from `errorPath`.
 */
export type ToolSuccessCheck =
  | { path: string; equals: JsonValue; errorPath?: string }
  | { path: string; absent: true; errorPath?: string }

/** Hints about what a tool does; `readOnly` tools count as reads for a `read_only` policy. */
export interface ToolAnnotations {
  readOnly: boolean
  /** May delete or overwrite (a write that is not just additive). */
  destructive?: boolean
  /** Calling it twice with the same input has no further effect. */
  idempotent?: boolean
}

/**
 * One tool of a provider.
 *
 * `responseFieldMap` names what the agent gets: output key → path in the response. Paths are dotted;
 * a `[]` segment walks every item of an array, and the output key says where each lands, so
 * `{ 'issues[].number': '[].number', 'issues[].title': '[].title' }` turns GitHub's array of issues
 * into `{ issues: [{ number, title }] }`. A name with dots is written `['…']` (no `'` or `]` inside):
 * `{ nextLink: "['@odata.nextLink']" }` reads Graph's `@odata.nextLink`, `"value['a.b']"` a key `a.b`
 * of `value`. An empty map passes the response through unchanged.
 *
 * @example
 * // Graph: { value: [{ id }], '@odata.nextLink': 'https://graph…?$skiptoken=…' } → { ids: […], nextLink }
 * responseFieldMap: { 'ids[]': 'value[].id', nextLink: "['@odata.nextLink']" }
 *
 * @example
 * const createIssue: ToolDefinition = {
 *   slug: 'create_issue', displayName: 'Create issue', description: 'Open an issue in a repository.',
 *   inputSchema: { type: 'object', properties: { owner: { type: 'string' }, repo: { type: 'string' },
 *     title: { type: 'string', maxLength: 256 } }, required: ['owner', 'repo', 'title'], additionalProperties: false },
 *   request: { method: 'POST', path: '/repos/{owner}/{repo}/issues', body: { fields: { title: 'title' } } },
 *   responseSchema: { type: 'object', properties: { number: { type: 'integer' }, html_url: { type: 'string' } } },
 *   responseFieldMap: { number: 'number', url: 'html_url' },
 *   annotations: { readOnly: false },
 * }
 */
export interface ToolDefinition {
  /** `^[a-z][a-z0-9_]{0,63}$`, unique within the provider. */
  slug: string
  displayName: string
  /** What it does, for a model choosing among tools: one or two sentences. */
  description: string
  /** JSON Schema 2020-12, `type: 'object'`, `additionalProperties: false`. */
  inputSchema: JsonSchema
  request: ToolRequest
  /** The documented shape of a successful response (only the fields the map reads need be listed). */
  responseSchema: JsonSchema | null
  responseFieldMap: Record<string, string>
  success?: ToolSuccessCheck
  annotations: ToolAnnotations
  /**
   * The OAuth scopes the call needs, as the provider documents them (the least privileged that
   * suffice, all of them together), so the owner knows what to ask for: a preset's default scopes may
   * only read. Absent: the preset's scopes are enough, or the provider has none.
   *
   * @example
   * scopes: ['https://www.googleapis.com/auth/gmail.send'] // Gmail send_message; Graph: ['Mail.Send']
   */
  scopes?: string[]
  /** Where the provider documents the endpoint (read when the tool was written). */
  docsUrl: string
}
