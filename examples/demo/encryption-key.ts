import { randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * CONNECTIONS_KEY when it is set; otherwise a key generated on the first run and kept (readable by
 * this user only) in the data directory, so that what was stored still decrypts after a restart.
 * In production the key comes from a secrets manager, never from a file next to the data.
 */
export async function loadEncryptionKey(dataDir: string, fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv
  const file = join(dataDir, 'connections.key')
  try {
    // `wx`: never overwrite a key that is already there (it would make every connection unreadable).
    await writeFile(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  return (await readFile(file, 'utf8')).trim()
}
