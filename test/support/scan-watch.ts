import type Keyv from 'keyv'

/** Recording the namespace scans a store call makes: the "never a scan" checks of the storage suites. */
export type Restore = () => void

export function watch(install: (record: (what: string) => void) => Restore[]): { stop(): string[] } {
  const seen: string[] = []
  const restores = install((what) => seen.push(what))
  return {
    stop() {
      for (const restore of restores.reverse()) restore()
      return seen
    },
  }
}

/** Keyv binds the adapter's iterator when it is built: both the bound copy and the adapter's own count. */
export function watchIterators(keyv: Keyv, record: (what: string) => void): Restore[] {
  return [
    intercept(keyv, 'iterator', () => record('keyv.iterator')),
    intercept(keyv.store as object, 'iterator', () => record('adapter.iterator')),
  ]
}

/** A Keyv on a Map: its iterator, and any iteration of the Map. */
export function watchMap(keyv: object, map: Map<string, unknown>, record: (what: string) => void): Restore[] {
  return [
    intercept(keyv, 'iterator', () => record('keyv.iterator')),
    ...(['keys', 'values', 'entries', 'forEach', Symbol.iterator] as const).map((method) =>
      intercept(map, method, () => record(`Map.${String(method)}`)),
    ),
  ]
}

/** An adapter whose clear() reads the whole namespace, like the LIKE deletes the SQL watch records. */
export function watchClear(keyv: Keyv, adapter: object, record: (what: string) => void): Restore[] {
  return [...watchIterators(keyv, record), intercept(adapter, 'clear', () => record('adapter.clear'))]
}

/**
 * A LIKE, or a SELECT/DELETE that is not `WHERE key = <one value>`, reads more than one key
 * (@keyv/mysql names the column `id` and inlines the value).
 */
export function watchSql(store: { query: unknown }, record: (what: string) => void): Restore[] {
  return [
    intercept(store, 'query', (args) => {
      const sql = String(args[0])
      const reads = /^\s*(select|delete)\b/i.test(sql)
      // Reads by key, one or several (the adapters' getMany: IN a list of keys, = ANY of an array).
      const byKey =
        /where (key|id) = (\?|\$1|'[^']*')/i.test(sql) ||
        /where key in \(select value from json_each\(\?\)\)/i.test(sql) ||
        /where key = any\(\$1\)/i.test(sql) ||
        /where id in \('[^']*'(, '[^']*')*\)\s*$/i.test(sql)
      if (/\blike\b/i.test(sql) || (reads && !byKey)) record(`sql: ${sql.trim()}`)
    }),
  ]
}

/** Wraps a method in place (own property), calling `onCall` first; the returned function undoes it. */
export function intercept(
  target: object,
  method: string | symbol,
  onCall: (args: unknown[]) => void,
): Restore {
  const holder = target as Record<string | symbol, unknown>
  const original = holder[method]
  if (typeof original !== 'function') return () => undefined
  const own = Object.hasOwn(target, method)
  holder[method] = function (this: unknown, ...args: unknown[]) {
    onCall(args)
    return original.apply(this, args)
  }
  return () => {
    if (own) holder[method] = original
    else delete holder[method]
  }
}
