import { ConnectionsError } from '../core/errors.js'

/**
 * Token, profile and credential-check answers are a few kilobytes; a provider (or whatever a custom
 * provider's URL points at) must not make the server buffer an unbounded body.
 */
export const PROVIDER_ANSWER_LIMIT = 1024 * 1024

/** The body as text, refused (and the transfer cancelled) past {@link PROVIDER_ANSWER_LIMIT} bytes. */
export async function readLimited(response: Response, providerName: string): Promise<string> {
  const tooLarge = () =>
    new ConnectionsError('provider_error', `${providerName} answered with more than 1 MiB; it was not read.`)
  if (Number(response.headers.get('content-length')) > PROVIDER_ANSWER_LIMIT) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge()
  }
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>
    try {
      chunk = await reader.read()
    } catch (cause) {
      throw new ConnectionsError('provider_error', `${providerName} did not finish its answer.`, { cause })
    }
    const { done, value } = chunk
    if (done) break
    size += value.byteLength
    if (size > PROVIDER_ANSWER_LIMIT) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** JSON of at most {@link PROVIDER_ANSWER_LIMIT} bytes; `undefined` when the body is not JSON. */
export async function readLimitedJson(response: Response, providerName: string): Promise<unknown> {
  const text = await readLimited(response, providerName)
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}
