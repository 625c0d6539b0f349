import type Keyv from 'keyv'

const COUNTED = new Set(['get', 'set', 'delete', 'getMany', 'setMany', 'has'])

/** The same Keyv, counting the calls the router makes on it (for "store calls per operation"). */
export function countingStore(keyv: Keyv, counts: Record<string, number>): Keyv {
  return new Proxy(keyv, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== 'function' || !COUNTED.has(String(property))) return value
      const method = value as (...args: unknown[]) => unknown
      return (...args: unknown[]) => {
        counts[String(property)] = (counts[String(property)] ?? 0) + 1
        return method.apply(target, args)
      }
    },
  })
}

/** `{ get: 30, set: 8 }` over `calls` operations → `3 get + 0.8 set`. */
export function perCall(counts: Record<string, number>, calls: number): string {
  return Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([method, n]) => `${Number((n / calls).toFixed(2))} ${method}`)
    .join(' + ')
}
