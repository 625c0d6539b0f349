import type { Figure } from './report.js'

/** What every benchmark gets from the runner. */
export interface BenchContext {
  quick: boolean
  /** This run's scratch directory (SQLite files), deleted at the end. */
  runDir: string
  /** Unique per run: namespaces and owners are built from it. */
  runId: string
  /** 32 bytes, base64: the router's encryptionKey and the baseline's AES key. */
  encryptionKey: string
  redisUrl: string
  /** SQLite in WAL mode with synchronous=NORMAL for #1 and #2 (--sqlite-wal), instead of @keyv/sqlite's defaults. */
  sqliteWal: boolean
}

export interface Benchmark {
  id: string
  title: string
  run(ctx: BenchContext): Promise<Figure[]>
}
