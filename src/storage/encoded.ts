/**
 * Records of the agent layer's hot path (agent records, the policy under its pair key) are written
 * as one JSON string with this prefix. Keyv's deserializer runs its reviver on every value of what it
 * reads: on one string instead of every field of a policy, and `JSON.parse` without a reviver then,
 * a read decodes in about a third of the time. No id or other string value the package stores starts
 * with it.
 */
const PREFIX = 'json:'

/** How many decoded records are kept by their encoded string (see {@link decodeRecord}). */
const DECODED_KEPT = 1_000

/**
 * Encoded string → what it decodes to, frozen. The same agent record and policy are read on every
 * call an agent makes; parsing the same string again was a tenth of what being an agent costs a call.
 * Keyed by the whole string, so a record changed in the store is a new string and decoded afresh.
 * Holds no secret: agent records keep only a keyed hash of the key.
 */
const decoded = new Map<string, unknown>()

export function encodeRecord(record: object): string {
  return PREFIX + JSON.stringify(record)
}

/**
 * What {@link encodeRecord} wrote, decoded and deeply frozen (it may be shared by every reader of the
 * same version: copy before changing it); anything else (a record written as an object before, a
 * plain string, nothing) as it was read. An encoded value that does not parse reads as nothing: the
 * store was written by something else, and no record is safer than a guessed one.
 */
export function decodeRecord<T>(stored: T | string | undefined): T | string | undefined {
  if (typeof stored !== 'string' || !stored.startsWith(PREFIX)) return stored
  const kept = decoded.get(stored)
  if (kept !== undefined) return kept as T
  let value: T
  try {
    value = deepFreeze(JSON.parse(stored.slice(PREFIX.length)) as T)
  } catch {
    return undefined
  }
  // Insertion order: the oldest goes first once full.
  if (decoded.size >= DECODED_KEPT) decoded.delete(decoded.keys().next().value as string)
  decoded.set(stored, value)
  return value
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}
