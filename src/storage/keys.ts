import { hash } from 'node:crypto'

/** The key layout on the Keyv store; every key the package writes is built here. */
export const keys = {
  connection: (id: string) => `connection:${id}`,
  ownerIndex: (owner: string) => `owner:${ownerKey(owner)}:connections`,
  /** Flows are kept under a hash of the state, so a store dump never holds a usable state value. */
  flow: (state: string) => `flow:${sha256(state)}`,
  session: (sid: string) => `session:${sid}`,
  /** An audit stream is a counter plus one key per entry, so appending and paging never read it whole. */
  auditHead: (stream: string) => `audit:${stream}:head`,
  auditEntry: (stream: string, seq: number) => `audit:${stream}:${seq}`,
  auditLock: (stream: string) => `lock:audit:${stream}`,
  ownerLock: (owner: string) => `lock:owner:${ownerKey(owner)}`,
  customProvider: (owner: string, slug: string) => `custom-provider:${ownerKey(owner)}:${slug}`,
  customProviderIndex: (owner: string) => `owner:${ownerKey(owner)}:custom-providers`,
  customProviderLock: (owner: string) => `lock:custom-providers:${ownerKey(owner)}`,
  /** Which owner a custom provider's slug (so its callback URL) belongs to: one owner per slug. */
  customProviderSlug: (slug: string) => `custom-provider-slug:${slug}`,
  customProviderSlugLock: (slug: string) => `lock:custom-provider-slug:${slug}`,
  /** A client this router registered with an MCP server's authorization server, per callback URL. */
  mcpClient: (issuer: string, redirectUri: string) => `mcp-client:${sha256(`${issuer}\u0000${redirectUri}`)}`,
  mcpClientLock: (issuer: string, redirectUri: string) =>
    `lock:mcp-client:${sha256(`${issuer}\u0000${redirectUri}`)}`,
  connectionLock: (id: string) => `lock:connection:${id}`,
  /** Backoff after failed refreshes, per connection and per token endpoint (any owner's may share one). */
  connectionBackoff: (id: string) => `refresh-backoff:connection:${id}`,
  endpointBackoff: (tokenUrl: string) => `refresh-backoff:endpoint:${sha256(tokenUrl)}`,
  flowLock: (state: string) => `lock:flow:${sha256(state)}`,
  /** Records an owner owns (agents, approvals): one key each, found by id alone, and a per-owner index. */
  owned: (kind: string, id: string) => `${kind}:${id}`,
  ownedIndex: (kind: string, owner: string) => `owner:${ownerKey(owner)}:${kind}s`,
  ownedIndexLock: (kind: string, owner: string) => `lock:${kind}s:${ownerKey(owner)}`,
  ownedLock: (kind: string, id: string) => `lock:${kind}:${id}`,
  /** The one policy binding an agent to a connection (agent ids may be a host's: any length, so hashed). */
  policyPair: (owner: string, agentId: string, connectionId: string) =>
    `policy-pair:${pairDigest(`${owner}\u0000${agentId}\u0000${connectionId}`)}`,
  policyPairLock: (owner: string, agentId: string, connectionId: string) =>
    `lock:policy-pair:${pairDigest(`${owner}\u0000${agentId}\u0000${connectionId}`)}`,
  /** Every tool's settings on one connection, in one key: a run reads one record. */
  connectionTools: (connectionId: string) => `connection-tools:${connectionId}`,
  connectionToolsLock: (connectionId: string) => `lock:connection-tools:${connectionId}`,
  /** A remote MCP server's tools as the connection's last sync read them (sealed). */
  connectionMcpTools: (connectionId: string) => `connection-mcp-tools:${connectionId}`,
  /** The tools' sync status of every connection of an owner: a list of connections costs one read. */
  toolsStatus: (owner: string) => `owner:${ownerKey(owner)}:tools-status`,
  toolsStatusLock: (owner: string) => `lock:tools-status:${ownerKey(owner)}`,
}

/**
 * Owners appear in keys by hash: any owner id (long, non-ASCII) makes a short key of one shape on
 * every backend (@keyv/postgres, for one, limits keys to 255 characters).
 */
export function ownerKey(owner: string): string {
  return sha256(`owner:${owner}`)
}

/** How many pair digests are kept: an agent's every call names its pair key. */
const PAIR_DIGESTS_KEPT = 10_000
const pairDigests = new Map<string, string>()

/** The digest of a policy's pair, kept: hashing it again was a measurable part of an agent's call. */
function pairDigest(pair: string): string {
  let digest = pairDigests.get(pair)
  if (digest === undefined) {
    digest = sha256(pair)
    if (pairDigests.size >= PAIR_DIGESTS_KEPT) pairDigests.clear()
    pairDigests.set(pair, digest)
  }
  return digest
}

/** One-shot: a Hash object per key built was a measurable part of an agent's token hand-out. */
function sha256(value: string): string {
  return hash('sha256', value, 'base64url')
}
