/**
 * A Keyv 5 storage adapter on one JSON file: a small example to copy when you write your own.
 *
 * A JSON file suits ONE process and SMALL data. The whole file is read into memory on first use and
 * rewritten on every change; two processes writing the same file would overwrite each other's
 * changes. For several instances or a lot of data, use @keyv/sqlite, @keyv/postgres or @keyv/redis.
 *
 * What Keyv (5.6) expects of an adapter, and what this one does about it:
 * - Keys arrive already prefixed by Keyv (`<namespace>:<key>`); values arrive serialised by Keyv (a
 *   string by default). Store both as they are and hand the value back unchanged.
 * - Keyv writes its namespace onto `adapter.namespace`: `clear()` must clear only that namespace,
 *   and each Keyv needs an adapter of its own (adapters on one path share one copy of the file).
 * - A failure must REJECT. An adapter that turns an I/O error into `undefined` or `false` makes a
 *   broken store look empty, and the router would then treat stored connections as missing.
 * - `has` is called directly when present, without Keyv's own expiry check: it must honour the
 *   TTL itself (so does everything here: an expired entry is never returned, and the next write
 *   drops it from the file).
 */
import { EventEmitter } from 'node:events'
import { open, readFile, rename, rm } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { KeyvStoreAdapter } from 'keyv'

/** One key in the file: the value Keyv gave us, and when it expires (ms since epoch). */
interface Entry {
  value: unknown
  expires?: number
}
type Entries = Record<string, Entry>

export class JsonFileStore extends EventEmitter implements KeyvStoreAdapter {
  /** Set by Keyv. */
  namespace?: string | undefined
  /**
   * Keyv looks at `opts.dialect`, then `opts.url`, to decide whether to expose `keyv.iterator()` (only
   * for its own adapters: sqlite, redis, …), and throws on an adapter with an iterator but no `opts.url`.
   */
  readonly opts: { url: string; dialect: string }
  private readonly file: JsonFile

  constructor(path: string) {
    super()
    const absolute = resolve(path)
    this.opts = { url: pathToFileURL(absolute).href, dialect: 'json-file' }
    this.file = JsonFile.at(absolute)
  }

  async get<Value>(key: string): Promise<Value | undefined> {
    const entries = await this.guard(this.file.read())
    return live(entries, key)?.value as Value | undefined
  }

  async getMany<Value>(keys: string[]): Promise<Array<Value | undefined>> {
    const entries = await this.guard(this.file.read())
    return keys.map((key) => live(entries, key)?.value as Value | undefined)
  }

  async has(key: string): Promise<boolean> {
    return live(await this.guard(this.file.read()), key) !== undefined
  }

  /** `ttl` in milliseconds; none (or 0) keeps the key until it is deleted. */
  async set(key: string, value: unknown, ttl?: number): Promise<void> {
    const expires = ttl ? Date.now() + ttl : undefined
    await this.write((entries) => {
      entries[key] = expires === undefined ? { value } : { value, expires }
      return true
    })
  }

  /** True when the key was there. */
  delete(key: string): Promise<boolean> {
    return this.deleteMany([key])
  }

  /** True when at least one of the keys was there (as @keyv/sqlite does). */
  deleteMany(keys: string[]): Promise<boolean> {
    return this.write((entries) => {
      let deleted = false
      for (const key of keys) {
        if (live(entries, key)) deleted = true
        delete entries[key]
      }
      return deleted
    })
  }

  /** Clears this adapter's namespace only; everything when it has none. */
  async clear(): Promise<void> {
    const prefix = this.namespace ? `${this.namespace}:` : ''
    await this.write((entries) => {
      const doomed = Object.keys(entries).filter((key) => key.startsWith(prefix))
      for (const key of doomed) delete entries[key]
      return doomed.length > 0
    })
  }

  /** Every live `[key, value]` under the namespace (Keyv passes its own), from a snapshot. */
  async *iterator<Value>(
    namespace?: string,
  ): AsyncGenerator<Array<string | Awaited<Value> | undefined>, void> {
    const entries = await this.guard(this.file.read())
    const prefix = namespace ? `${namespace}:` : ''
    for (const key of Object.keys(entries)) {
      const entry = live(entries, key)
      if (entry && key.startsWith(prefix)) yield [key, entry.value as Awaited<Value>]
    }
  }

  /** Waits for the writes already queued; the file stays usable by other adapters. */
  async disconnect(): Promise<void> {
    await this.file.settled()
  }

  private write(change: (entries: Entries) => boolean): Promise<boolean> {
    return this.guard(this.file.update(change))
  }

  /**
   * Rejects with the error and tells 'error' listeners (Keyv re-emits them on itself). Node's
   * EventEmitter throws an 'error' that nobody listens to, hence the check.
   */
  private async guard<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation
    } catch (error) {
      if (this.listenerCount('error') > 0) this.emit('error', error)
      throw error
    }
  }
}

/** The value under `key`, unless it has expired. */
function live(entries: Entries, key: string): Entry | undefined {
  const entry = entries[key]
  return entry && !expired(entry) ? entry : undefined
}

function expired(entry: Entry, now = Date.now()): boolean {
  return entry.expires !== undefined && entry.expires <= now
}

/**
 * One file and its in-memory copy, shared by every adapter on that path in this process: two copies
 * of one file would each write out their own version, losing the other's changes.
 */
class JsonFile {
  private static readonly byPath = new Map<string, JsonFile>()

  static at(path: string): JsonFile {
    const file = JsonFile.byPath.get(path) ?? new JsonFile(path)
    JsonFile.byPath.set(path, file)
    return file
  }

  private entries: Entries | undefined
  private loading: Promise<Entries> | undefined
  /** The write queue: each write starts once the previous one has finished. */
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(private readonly path: string) {}

  /** The entries (expired ones included), loaded on first use. A failed load is tried again next time. */
  read(): Promise<Entries> {
    if (this.entries) return Promise.resolve(this.entries)
    this.loading ??= this.load().finally(() => {
      this.loading = undefined
    })
    return this.loading
  }

  /**
   * Applies `change` to a copy of the entries and writes the copy out; only once it is on disk does
   * it replace the copy in memory, so a failed write changes nothing. `change` returns whether it
   * changed anything: when it did not, nothing is written.
   */
  update(change: (entries: Entries) => boolean): Promise<boolean> {
    const run = this.queue.then(async () => {
      const next = { ...(await this.read()) }
      if (!change(next)) return false
      const now = Date.now()
      for (const [key, entry] of Object.entries(next)) if (expired(entry, now)) delete next[key]
      await replaceFile(this.path, JSON.stringify(next))
      this.entries = next
      return true
    })
    // A failed write is its caller's error; it must not stop the writes queued after it.
    this.queue = run.catch(() => undefined)
    return run
  }

  async settled(): Promise<void> {
    await this.queue
  }

  private async load(): Promise<Entries> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
      // Create the file now: a path that cannot be written fails on first use, not at the first write.
      await replaceFile(this.path, '{}')
      text = '{}'
    }
    // A corrupt file must fail every call, never read as empty (the next write would replace it).
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`${this.path} does not hold a JSON object`)
    }
    this.entries = parsed as Entries
    return this.entries
  }
}

/**
 * Replaces the file atomically: write a temporary file in the same directory (a rename is atomic
 * only within one file system), flush it to disk, then rename it over the file. A crash leaves either
 * the old file or the new one, never half of one. (For the rename itself to survive a power cut,
 * fsync the directory too: left out here, as that fails on Windows.)
 */
async function replaceFile(path: string, text: string): Promise<void> {
  const temp = `${path}.tmp`
  try {
    const handle = await open(temp, 'w', 0o600)
    try {
      await handle.writeFile(text)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
}
