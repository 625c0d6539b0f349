import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import KeyvPostgres from '@keyv/postgres'
import KeyvSqlite from '@keyv/sqlite'
import Keyv from 'keyv'
import { describe, expect, it } from 'vitest'
import { DATABASE_URL } from '../support/backends.js'

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8')

/** The README's ```sql block whose first line names `dialect`, aimed at `table` instead of keyv. */
function sweepFor(dialect: string, table: string): string {
  const block = [...readme.matchAll(/```sql\n([\s\S]*?)```/g)]
    .map((m) => m[1] ?? '')
    .find((sql) => sql.startsWith(`-- ${dialect}`))
  if (!block) throw new Error(`README has no ${dialect} sweep`)
  const statement = block.split('\n').filter((line) => line && !line.startsWith('--'))
  return statement.join('\n').replace(/\bFROM keyv\b/, `FROM ${table}`)
}

/** Rows that expire (a flow), rows that do not yet, and rows without expiry (a record). */
async function fill(keyv: Keyv): Promise<void> {
  await keyv.set('flow:expired', { state: 'gone' }, 1)
  await keyv.set('flow:live', { state: 'kept' }, 60_000)
  await keyv.set('connection:1', { id: '1' }, 0)
  await new Promise((resolve) => setTimeout(resolve, 20))
}

describe("the README's sweeps of expired rows", () => {
  it('PostgreSQL: deletes the expired rows and keeps the rest', async () => {
    const table = `sweep_${randomBytes(6).toString('hex')}`
    const store = new KeyvPostgres({ uri: DATABASE_URL, table })
    try {
      const keyv = new Keyv({ store, namespace: 'connections' })
      await fill(keyv)
      await store.query(sweepFor('PostgreSQL', table))
      const rows = (await store.query(`SELECT key FROM ${table} ORDER BY key`)) as Array<{ key: string }>
      expect(rows.map((r) => r.key)).toEqual(['connections:connection:1', 'connections:flow:live'])
    } finally {
      await store.query(`DROP TABLE IF EXISTS ${table}`)
      await store.disconnect()
    }
  })

  it('SQLite: deletes the expired rows and keeps the rest', async () => {
    const file = join(tmpdir(), `sweep-${randomBytes(6).toString('hex')}.sqlite`)
    // As the README's table shows it: a URI string.
    const store = new KeyvSqlite(`sqlite://${file}`)
    try {
      const keyv = new Keyv({ store, namespace: 'connections' })
      await fill(keyv)
      await store.query(sweepFor('SQLite', 'keyv'))
      const rows = (await store.query('SELECT key FROM keyv ORDER BY key')) as Array<{ key: string }>
      expect(rows.map((r) => r.key)).toEqual(['connections:connection:1', 'connections:flow:live'])
    } finally {
      await store.disconnect()
      await rm(file, { force: true })
    }
  })
})
