import { record, text } from '../preset.js'
import type { ConnectionDetails, DetailsContext } from '../types.js'

/**
 * The YouTube channel of the signed-in Google account, kept in metadata: the API names channels, not
 * Google accounts. An account without a channel is still connected (it can read public data).
 * https://developers.google.com/youtube/v3/docs/channels/list (read 2026-12-07)
 */
export async function youtubeChannel({ fetchJson }: DetailsContext, api: string): Promise<ConnectionDetails> {
  const answer = record(await fetchJson(`${api.replace(/\/+$/, '')}/channels?part=snippet&mine=true`))
  const items = Array.isArray(answer.items) ? answer.items : []
  const channel = record(items[0])
  const channelId = text(channel.id)
  if (!channelId) return { metadata: { channelId: null } }
  return { metadata: { channelId, channelTitle: text(record(channel.snippet).title) } }
}
