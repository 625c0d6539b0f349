/**
 * Records of the agent layer's hot path (agent records, the policy under its pair key) are written
 * as one JSON string with this prefix. Keyv's deserializer runs its reviver on every value of what it
 * reads: on one string instead of every field of a policy, and `JSON.parse` without a reviver then,
 * a read decodes in about a third of the time. No id or other string value the package stores starts
 * with it.
 */
const PREFIX = 'json:'

export function encodeRecord(record: object): string {
  return PREFIX + JSON.stringify(record)
}

/**
 * What {@link encodeRecord} wrote, decoded; anything else (a record written as an object before, a
 * plain string, nothing) as it was read. An encoded value that does not parse reads as nothing: the
 * store was written by something else, and no record is safer than a guessed one.
 */
export function decodeRecord<T>(stored: T | string | undefined): T | string | undefined {
  if (typeof stored !== 'string' || !stored.startsWith(PREFIX)) return stored
  try {
    return JSON.parse(stored.slice(PREFIX.length)) as T
  } catch {
    return undefined
  }
}
