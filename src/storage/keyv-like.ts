/**
 * What the router needs of a store: the methods of a Keyv instance. Typed structurally so that a host
 * with its own copy of keyv (or a hand-written equivalent) works; `instanceof Keyv` would not.
 */
export interface KeyvLike {
  get(key: string): Promise<unknown>
  set(key: string, value: unknown, ttl?: number): Promise<unknown>
  delete(key: string): Promise<unknown>
  /** Keyv's read of several keys; used only when its adapter (`store`) reads them in one call. */
  getMany?(keys: string[]): Promise<unknown[]>
  store?: { getMany?: unknown }
  /** Keyv's switch that makes adapter failures throw instead of reading as "not found". */
  throwOnErrors?: boolean
}

export function isKeyvLike(value: unknown): value is KeyvLike {
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as Record<string, unknown>
  return ['get', 'set', 'delete'].every((method) => typeof candidate[method] === 'function')
}
