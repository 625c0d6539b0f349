import type { JsonValue, ToolEncoder } from '../providers/tool-definition.js'
import { type InputProblem, ToolInputError } from './problems.js'

const ADDRESS_FIELDS = ['to', 'cc', 'bcc'] as const
/**
 * Any control character but tab, or one of Unicode's line separators: a line break in a header value
 * would start a header of the caller's.
 */
function hasControl(text: string): boolean {
  return [...text].some((character) => {
    const code = character.codePointAt(0) ?? 0
    return (
      (code < 0x20 && code !== 0x09) || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029
    )
  })
}
const ASCII = /^[\u0020-\u007e\t]*$/
/** RFC 5322 msg-id, `<left@right>`: printable ASCII without spaces or angle brackets. */
const MESSAGE_ID = /^<[\u0021-\u003b\u003d\u003f-\u007e]+@[\u0021-\u003b\u003d\u003f-\u007e]+>$/
const MAX_MESSAGE_ID = 998
const MAX_REFERENCES = 100
const ENCODED_WORD_BYTES = 45
const LONG_HEADER = 900

/** RFC 2047 B encoded-words, each at most 75 characters, never splitting a character's UTF-8 bytes. */
function encodedWords(text: string): string {
  const words: string[] = []
  let chunk = ''
  for (const character of text) {
    if (Buffer.byteLength(chunk + character) > ENCODED_WORD_BYTES) {
      words.push(chunk)
      chunk = ''
    }
    chunk += character
  }
  words.push(chunk)
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word).toString('base64')}?=`).join('\r\n ')
}

const headerText = (text: string): string =>
  ASCII.test(text) && text.length <= LONG_HEADER ? text : encodedWords(text)

/** `Jörg <j@example.com>` → the display name encoded, the address as given. */
function address(text: string): string {
  if (ASCII.test(text)) return text
  const named = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(text)
  if (named?.[1] && ASCII.test(named[2] ?? '')) return `${encodedWords(named[1])} <${named[2]}>`
  return text
}

function addressList(input: Record<string, JsonValue>, field: string, problems: InputProblem[]): string[] {
  const value = input[field]
  if (value === undefined || value === null) return []
  const list = Array.isArray(value) ? value : [value]
  return list.flatMap((item, index) => {
    const pointer = Array.isArray(value) ? `/${field}/${index}` : `/${field}`
    if (typeof item !== 'string' || item.trim() === '') {
      problems.push({ pointer, message: 'must be a non-empty string' })
      return []
    }
    if (hasControl(item)) {
      problems.push({ pointer, message: 'must not contain line breaks or control characters' })
      return []
    }
    return [address(item)]
  })
}

function optionalText(
  input: Record<string, JsonValue>,
  field: string,
  problems: InputProblem[],
): string | null {
  const value = input[field]
  if (value === undefined || value === null) return null
  if (typeof value !== 'string') {
    problems.push({ pointer: `/${field}`, message: 'must be a string' })
    return null
  }
  return value
}

/** `inReplyTo` (one Message-ID) and `references` (one or a list): each a whole `<id@host>`, else a problem. */
function messageIds(input: Record<string, JsonValue>, field: string, problems: InputProblem[]): string[] {
  const value = input[field]
  if (value === undefined || value === null) return []
  const list = Array.isArray(value) ? value : [value]
  if (field === 'inReplyTo' && Array.isArray(value))
    problems.push({ pointer: `/${field}`, message: 'must be one Message-ID' })
  if (list.length > MAX_REFERENCES)
    problems.push({ pointer: `/${field}`, message: `must not name more than ${MAX_REFERENCES} messages` })
  return list.flatMap((item, index) => {
    if (typeof item === 'string' && item.length <= MAX_MESSAGE_ID && MESSAGE_ID.test(item)) return [item]
    const pointer = Array.isArray(value) ? `/${field}/${index}` : `/${field}`
    problems.push({ pointer, message: 'must be a Message-ID like <id@example.com>' })
    return []
  })
}

/**
 * Gmail's `users.messages.send` body: `{ raw }`, a base64url RFC 822 message from `to`, `cc`, `bcc`
 * (a string or a list), `subject` and `body` (plain text), and for a reply `inReplyTo` (the Message-ID
 * answered) and `references` (the thread's Message-IDs, one or a list). No input can add a header: a
 * line break or control character in any header value is refused, a Message-ID must be a whole
 * `<id@host>` of printable ASCII, and the body is base64-encoded.
 * https://developers.google.com/gmail/api/reference/rest/v1/users.messages/send
 *
 * @example
 * rfc822Message({ to: 'ada@example.com', subject: 'Hi', body: 'Hello' }) // { raw: 'TUlNRS1WZXJzaW9u…' }
 */
export function rfc822Message(input: Record<string, JsonValue>): { raw: string } {
  const problems: InputProblem[] = []
  const [to, cc, bcc] = ADDRESS_FIELDS.map((field) => addressList(input, field, problems))
  const subject = optionalText(input, 'subject', problems)
  const body = optionalText(input, 'body', problems) ?? ''
  const inReplyTo = messageIds(input, 'inReplyTo', problems)
  const references = messageIds(input, 'references', problems)
  if (subject !== null && hasControl(subject))
    problems.push({ pointer: '/subject', message: 'must not contain line breaks or control characters' })
  if (problems.length === 0 && to?.length === 0) problems.push({ pointer: '/to', message: 'is required' })
  if (problems.length > 0) throw new ToolInputError(problems)
  const headers = ['MIME-Version: 1.0']
  for (const [name, list] of [
    ['To', to],
    ['Cc', cc],
    ['Bcc', bcc],
  ] as const)
    if (list && list.length > 0) headers.push(`${name}: ${list.join(',\r\n ')}`)
  if (subject !== null) headers.push(`Subject: ${headerText(subject)}`)
  if (inReplyTo.length > 0) headers.push(`In-Reply-To: ${inReplyTo.join(' ')}`)
  if (references.length > 0) headers.push(`References: ${references.join('\r\n ')}`)
  headers.push('Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: base64')
  const encodedBody = (
    Buffer.from(body)
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n')
  const message = `${headers.join('\r\n')}\r\n\r\n${encodedBody}`
  return { raw: Buffer.from(message).toString('base64url') }
}

/** Runs a definition's encoder on the merged input; its output, over the input, is what the body fields read. */
export function encode(encoder: ToolEncoder, input: Record<string, JsonValue>): Record<string, JsonValue> {
  switch (encoder) {
    case 'rfc822_message':
      return rfc822Message(input)
  }
}
