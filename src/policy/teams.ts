import type { HttpRequest, TeamsConstraint } from './model.js'
import { pathSegments } from './path.js'
import { type Json, requestParameters, valuesAt } from './request-body.js'

interface Named {
  tenants: string[]
  teams: string[]
  channels: string[]
  chats: string[]
}

// A channel reached without its id (`/teams/{id}/primaryChannel`): allowed by a team, never by channelIds.
const UNNAMED_CHANNEL = '/unnamed'
const UNNAMED_CHANNEL_SEGMENTS = new Set(['primarychannel', 'allchannels', 'incomingchannels'])

/**
 * Null when a Microsoft Graph call stays inside the constraint; otherwise why not.
 * - `tenantIds`: the connection's tenant and every `tenantId` in the body are listed.
 * - `teamIds`/`channelIds`/`chatIds`: the call names a team, channel or chat, in its path
 *   (`/teams/{team-id}/channels/{channel-id}/messages`, `/groups/{team-id}/team`, `/chats/{chat-id}`,
 *   `/me/chats/{chat-id}`) or its JSON body (`teamId`, `channelId`, `chatId` at any depth, and
 *   `…@odata.bind` URLs); each named team is in `teamIds`, each chat in `chatIds`; each channel is in
 *   `channelIds`, or, with no `channelIds`, sits in a team the call names and `teamIds` allows.
 * Graph is case-insensitive about its path words; OData key syntax (`/teams('id')`) and `$batch`
 * cannot be read and are refused.
 */
export function checkTeams(
  constraint: TeamsConstraint,
  request: HttpRequest,
  tenantId: string | null | undefined,
): string | null {
  const named: Named = { tenants: [], teams: [], channels: [], chats: [] }
  if (!namePath(request.path, named))
    return 'The request path cannot be read, so its targets cannot be checked.'
  const params = requestParameters(request)
  const hasBody = (request.body?.length ?? 0) > 0
  if (!params || (hasBody && !params.json) || (params.json && !nameBody(params.json, named)))
    return 'The request body cannot be read (JSON only), so its targets cannot be checked.'

  const same = (list: string[] | undefined, id: string) =>
    list?.some((x) => x.toLowerCase() === id.toLowerCase())
  if (constraint.tenantIds) {
    if (!tenantId || !same(constraint.tenantIds, tenantId)) return 'This connection’s tenant is not allowed.'
    if (!named.tenants.every((id) => same(constraint.tenantIds, id)))
      return 'The request names another tenant.'
  }
  const { teamIds, channelIds, chatIds } = constraint
  if (!teamIds && !channelIds && !chatIds) return null
  if (named.teams.length + named.channels.length + named.chats.length === 0)
    return 'The request names no team, channel or chat, and the policy limits this connection to some.'
  if (!named.teams.every((id) => (teamIds ? same(teamIds, id) : named.channels.length > 0)))
    return 'The request names a team this policy does not allow.'
  const channelsAllowed = channelIds
    ? named.channels.every((id) => channelIds.includes(id))
    : named.channels.length === 0 || (teamIds !== undefined && named.teams.length > 0)
  if (!channelsAllowed) return 'The request names a channel this policy does not allow.'
  if (!named.chats.every((id) => chatIds?.includes(id)))
    return 'The request names a chat this policy does not allow.'
  return null
}

function namePath(path: string, named: Named): boolean {
  const segments = pathSegments(path)
  if (!segments) return false
  for (const [i, segment] of segments.entries()) {
    const word = segment.toLowerCase()
    const next = segments[i + 1]
    if (word === '$batch' || /^(teams|groups|channels|chats)\s*\(/.test(word)) return false
    if (UNNAMED_CHANNEL_SEGMENTS.has(word)) named.channels.push(UNNAMED_CHANNEL)
    if (next === undefined || next === '') continue
    if (word === 'teams' || word === 'groups') named.teams.push(next)
    else if (word === 'channels') named.channels.push(next)
    else if (word === 'chats') named.chats.push(next)
  }
  return true
}

function nameBody(body: Json, named: Named): boolean {
  const lists: Array<[string, string[]]> = [
    ['tenantid', named.tenants],
    ['teamid', named.teams],
    ['channelid', named.channels],
    ['chatid', named.chats],
  ]
  for (const [key, into] of lists) {
    for (const value of valuesAt(body, (k) => k.toLowerCase() === key)) {
      if (typeof value !== 'string') return false
      into.push(value)
    }
  }
  for (const value of valuesAt(body, (k) => k.toLowerCase().endsWith('@odata.bind'))) {
    for (const url of Array.isArray(value) ? value : [value]) {
      if (typeof url !== 'string' || !namePath(graphPath(url), named)) return false
    }
  }
  return true
}

/** The Graph path of a bind URL, without its host and version (`https://graph.microsoft.com/v1.0/teams/x`). */
function graphPath(url: string): string {
  let path = url
  try {
    path = new URL(url).pathname
  } catch {
    // Already a path.
  }
  return path.replace(/^\/(v1\.0|beta)(?=\/|$)/i, '')
}
