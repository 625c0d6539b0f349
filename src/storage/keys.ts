import { createHash } from 'node:crypto'

/** The key layout on the Keyv store; every key the package writes is built here. */
export const keys = {
  connection: (id: string) => `connection:${id}`,
  ownerIndex: (owner: string) => `owner:${encodeURIComponent(owner)}:connections`,
  /** Flows are kept under a hash of the state, so a store dump never holds a usable state value. */
  flow: (state: string) => `flow:${sha256(state)}`,
  session: (sid: string) => `session:${sid}`,
  /** An audit stream is a counter plus one key per entry, so appending and paging never read it whole. */
  auditHead: (stream: string) => `audit:${stream}:head`,
  auditEntry: (stream: string, seq: number) => `audit:${stream}:${seq}`,
  auditLock: (stream: string) => `lock:audit:${stream}`,
  ownerLock: (owner: string) => `lock:owner:${encodeURIComponent(owner)}`,
  customProvider: (owner: string, slug: string) => `custom-provider:${encodeURIComponent(owner)}:${slug}`,
  customProviderIndex: (owner: string) => `owner:${encodeURIComponent(owner)}:custom-providers`,
  customProviderLock: (owner: string) => `lock:custom-providers:${encodeURIComponent(owner)}`,
  connectionLock: (id: string) => `lock:connection:${id}`,
  flowLock: (state: string) => `lock:flow:${sha256(state)}`,
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}
