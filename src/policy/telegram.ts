import type { HttpRequest, TelegramConstraint } from './model.js'
import { pathSegments } from './path.js'
import { embeddedJson, type Json, requestParameters, valuesAt } from './request-body.js'

// Parameters that name a chat the call reads from or acts on (https://core.telegram.org/bots/api):
// chat_id almost everywhere, from_chat_id (forward/copy), sender_chat_id (ban a channel's posts), and
// reply_parameters.chat_id (quote a message from another chat), which forms carry as embedded JSON.
// Compared in any case: a key the checker skipped but a lenient server read would be a way around it.
const CHAT_KEYS = new Set(['chat_id', 'from_chat_id', 'sender_chat_id'])
const isChatKey = (key: string) => CHAT_KEYS.has(key.toLowerCase())

/**
 * Null when every chat the Bot API call names is one of `chatIds` and it names at least one (only
 * `getMe` touches no chat); otherwise why not. Reads `chat_id` and friends from the query, a JSON body
 * at any depth, or a form body (and JSON embedded in its values). Method names are case-insensitive,
 * as the Bot API treats them.
 */
export function checkTelegram(constraint: TelegramConstraint, request: HttpRequest): string | null {
  const segments = pathSegments(request.path)
  if (!segments) return 'The request path cannot be read, so its chat cannot be checked.'
  const params = requestParameters(request)
  if (!params) return 'The request body cannot be read (JSON or form only), so its chat cannot be checked.'
  const named: Json[] = params.json ? valuesAt(params.json, isChatKey) : []
  for (const [key, value] of params.pairs) {
    if (isChatKey(key)) named.push(value)
    const inner = embeddedJson(value)
    if (inner === 'unreadable')
      return 'A parameter of the request cannot be read, so its chat cannot be checked.'
    if (inner) named.push(...valuesAt(inner.json, isChatKey))
  }
  if (named.length === 0) {
    if (segments.length === 1 && segments[0]?.toLowerCase() === 'getme') return null
    return 'The request names no chat, and the policy limits this bot to some chats.'
  }
  const allowed = new Set(constraint.chatIds.map(chatKey))
  if (named.every((value) => allowed.has(chatKey(value)))) return null
  return 'The request names a chat this policy does not allow.'
}

/** One spelling per chat: `42` and `"42"` are one chat, usernames are case-insensitive; others match nothing. */
function chatKey(value: Json): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value)
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) return String(BigInt(value))
  if (typeof value === 'string' && /^@\w{4,32}$/.test(value)) return value.toLowerCase()
  return '\u0000unreadable'
}
