import type { HttpRequest, SlackConstraint } from './model.js'
import type { Json } from './request-body.js'
import { requestParameters } from './request-body.js'

const CHANNEL_KEYS = new Set(['channel', 'channel_id', 'channels'])
const USER_KEYS = new Set(['user', 'user_id', 'users'])

/**
 * Null when the Web API call names at least one conversation or user and each one is allowed:
 * conversations in `channels`, users in `users` (a kind the constraint does not list is not allowed).
 * Reads `channel`, `channel_id`, `channels`, `user`, `user_id` and `users` (comma-separated lists or
 * JSON arrays) from the query and a JSON or form body. A `channel` holding a user id (`U…`/`W…`)
 * opens a DM with that user, so it counts as that user.
 */
export function checkSlack(constraint: SlackConstraint, request: HttpRequest): string | null {
  const params = requestParameters(request)
  if (!params) return 'The request body cannot be read (JSON or form only), so its channel cannot be checked.'
  const entries: Array<[string, Json]> = [...params.pairs, ...Object.entries(params.json ?? {})]
  const channels: string[] = []
  const users: string[] = []
  for (const [key, value] of entries) {
    // Any case: a key the checker skipped but a lenient server read would be a way around it.
    const isChannel = CHANNEL_KEYS.has(key.toLowerCase())
    if (!isChannel && !USER_KEYS.has(key.toLowerCase())) continue
    const ids = idsOf(value)
    if (ids === null) return 'The request names a channel or user in a form the policy cannot read.'
    for (const id of ids) (isChannel && !/^[UW]/.test(id) ? channels : users).push(id)
  }
  if (channels.length === 0 && users.length === 0)
    return 'The request names no channel or user, and the policy limits this connection to some.'
  if (!channels.every((id) => constraint.channels?.includes(id)))
    return 'The request names a channel this policy does not allow.'
  if (!users.every((id) => constraint.users?.includes(id)))
    return 'The request names a user this policy does not allow.'
  return null
}

function idsOf(value: Json): string[] | null {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : null
  if (!items?.every((item): item is string => typeof item === 'string')) return null
  return items.map((item) => item.trim())
}
