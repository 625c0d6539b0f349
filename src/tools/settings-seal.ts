import { DecryptionError, type Keyring } from '../crypto/keyring.js'
import type { Lock } from '../locks/lock.js'
import { keys } from '../storage/keys.js'
import type { SafeStore } from '../storage/safe-store.js'

const PERMANENT = 0

/** Sealed to the owner and the connection: a record copied to another connection's key does not open. */
export function toolSettingsAad(owner: string, connectionId: string): string {
  return JSON.stringify(['connection-tools', owner, connectionId])
}

/**
 * The key-rotation side of a connection's tool settings (`connection-tools:<id>`): seals the record
 * again with the current key, under the same lock as every settings write, so a concurrent PATCH or
 * sync is never undone. A record no key of the ring opens is left as it is (`failed`).
 */
export class ToolSettingsSeal {
  constructor(
    private readonly store: SafeStore,
    private readonly lock: Lock,
    private readonly keyring: Keyring,
  ) {}

  reseal(owner: string, connectionId: string): Promise<'none' | 'current' | 'resealed' | 'failed'> {
    return this.lock.withLock(keys.connectionToolsLock(connectionId), async () => {
      const stored = await this.store.get<{ sealed: string }>(keys.connectionTools(connectionId))
      if (stored === undefined) return 'none'
      if (!this.keyring.needsReencryption(stored.sealed)) return 'current'
      const aad = toolSettingsAad(owner, connectionId)
      let plaintext: string
      try {
        plaintext = this.keyring.decrypt(stored.sealed, aad)
      } catch (error) {
        if (error instanceof DecryptionError) return 'failed'
        throw error
      }
      await this.store.set(
        keys.connectionTools(connectionId),
        { sealed: this.keyring.encrypt(plaintext, aad) },
        PERMANENT,
      )
      return 'resealed'
    })
  }
}
