/**
 * What the fuzzer aims at: the fuzz app's mount path and admin header, the markers its payloads carry,
 * and the seeded data (`Targets`, filled in by seed.ts) that the generators aim requests at.
 */
export const MOUNT = '/integrations'
export const ADMIN_HEADER = 'x-fuzz-admin'
export const ADMIN_VALUE = 'yes'
/** API keys with this prefix pass the fuzz app's `vendor` validator (POST /connections → 201). */
export const GOOD_KEY_PREFIX = 'fk_good_'
/** Secrets the fuzzer itself sends (an API key, a client secret) contain this: none may come back. */
export const SENT_SECRET_PREFIX = 'fzsec'
/** The marker a prototype-pollution payload would leave on Object.prototype. */
export const POLLUTION_MARKER = 'fuzzPolluted'

/** What the fuzzer may aim at: the seeded data of the fuzz app. */
export interface Targets {
  /** http://127.0.0.1:port */
  origin: string
  fuzzOwner: string
  otherOwner: string
  /** The fuzz owner's connections: two OAuth ones, an API-key one and a revoked one. */
  ownIds: readonly string[]
  otherIds: readonly string[]
  customSlug: string
  /** `state`s of pending flows in the store (a server-side link, one with a return URL, a browser one). */
  liveStates: readonly string[]
  /** `connections.sid=…` of the browser that started the browser-bound flow. */
  sessionCookie: string
  issuer: string
}
