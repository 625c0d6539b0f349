import type { HttpRequest } from './model.js'

/** A JSON value as JSON.parse gives it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/**
 * The parameters of a request: its query, plus its body when that is JSON or a form. A JSON body is
 * one more source (`json`); a form body's pairs join the query's (`pairs`). Null when a body is
 * present that cannot be read: another content type (multipart, none), bytes that are not UTF-8,
 * JSON that does not parse, is not an object, or repeats a key (parsers disagree on which repeat
 * wins, so a checker reading the first could be fooled by a server reading the last).
 */
export function requestParameters(
  request: HttpRequest,
): { pairs: Array<[string, string]>; json: { [key: string]: Json } | null } | null {
  const pairs = [...new URLSearchParams(request.query ?? '').entries()]
  const body = request.body
  if (!body || body.length === 0) return { pairs, json: null }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body)
  } catch {
    return null
  }
  const type = (request.contentType ?? '').split(';')[0]?.trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded')
    return { pairs: [...pairs, ...new URLSearchParams(text)], json: null }
  if (type !== 'application/json' && !type?.endsWith('+json')) return null
  let json: Json
  try {
    json = JSON.parse(text) as Json
  } catch {
    return null
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json) || repeatsAKey(text)) return null
  return { pairs, json }
}

/**
 * Every value found under one of `keys` at any depth of a JSON value (property names compared as
 * given). Iterative: a body nested a hundred thousand deep must not overflow the stack.
 */
export function valuesAt(value: Json, keys: (key: string) => boolean): Json[] {
  const found: Json[] = []
  const pending: Json[] = [value]
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (Array.isArray(next)) pending.push(...next)
    else if (next !== null && typeof next === 'object') {
      for (const [key, member] of Object.entries(next)) {
        if (keys(key)) found.push(member)
        pending.push(member)
      }
    }
  }
  return found
}

/**
 * A form or query value that is itself JSON (Telegram sends `reply_parameters` that way): its value,
 * `unreadable` when it looks like JSON but does not parse or repeats a key, or null when it is text.
 */
export function embeddedJson(value: string): { json: Json } | 'unreadable' | null {
  if (!/^\s*[[{]/.test(value)) return null
  try {
    const json = JSON.parse(value) as Json
    return repeatsAKey(value) ? 'unreadable' : { json }
  } catch {
    return 'unreadable'
  }
}

/**
 * Whether an object anywhere in valid JSON text repeats a property name (after unescaping, so
 * `"chat_id"` and `"chat\u005fid"` are the same name).
 */
export function repeatsAKey(text: string): boolean {
  const scopes: Array<Set<string> | null> = []
  let expectKey = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '{') {
      scopes.push(new Set())
      expectKey = true
    } else if (c === '[') scopes.push(null)
    else if (c === '}' || c === ']') scopes.pop()
    else if (c === ',') expectKey = scopes.at(-1) instanceof Set
    else if (c === '"') {
      let end = i + 1
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1
      const scope = scopes.at(-1)
      if (expectKey && scope) {
        const name = JSON.parse(text.slice(i, end + 1)) as string
        if (scope.has(name)) return true
        scope.add(name)
      }
      expectKey = false
      i = end
    }
  }
  return false
}
