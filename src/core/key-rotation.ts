import { DecryptionError } from '../crypto/keyring.js'
import type { CustomProviderStore } from '../storage/custom-providers.js'
import { MissingRecordError, type Repository } from '../storage/repository.js'
import { ConnectionsError } from './errors.js'
import type { SecretBox } from './sealed.js'

export interface ReencryptOptions {
  /**
   * Every owner whose records to re-encrypt: the ids of your users, from your own database. The store
   * is never scanned (see the README's "Rotating the encryption key"); an async iterable lets you page.
   */
  owners: Iterable<string> | AsyncIterable<string>
  /** Called after each owner, with the totals so far. */
  onProgress?: (progress: ReencryptProgress) => void
}

export interface ReencryptProgress {
  /** Owners done. */
  owners: number
  /**
   * Sealed records looked at: connections' tokens, their tool settings and custom providers' client
   * secrets.
   */
  checked: number
  /**
   * Of those, sealed again with the current key: those under an older key, and those sealed before
   * secrets were bound to their record's fields (`v1` blobs, upgraded even under the current key).
   */
  reencrypted: number
  /**
   * Of those, left as they are: opened by no key of the ring, or bound to other fields than their
   * record now has (its owner, provider or URLs were changed in the store since they were sealed).
   */
  failed: number
}

export interface ReencryptReport extends ReencryptProgress {
  /** The key id every re-encrypted secret now names. */
  keyId: string
  failures: Array<{ kind: 'connection' | 'connection_tools' | 'custom_provider'; id: string }>
}

/** A sealed record kept beside each connection (its tool settings), sealed again by the sweep. */
export interface ConnectionSideRecord {
  reseal(owner: string, connectionId: string): Promise<'none' | 'current' | 'resealed' | 'failed'>
}

/**
 * The key-rotation sweep: seals every stored secret of the given owners again with the current key
 * and bound to its record (upgrading `v1` blobs, which only name the record id), one record at a time
 * under its lock (a concurrent refresh or revoke is never undone). Idempotent: run it again after a
 * store outage and it picks up what is left. A `v1` blob is bound to its record as the sweep finds it:
 * run the sweep soon after upgrading, and before that, trust the store as before.
 */
export class KeyRotation {
  constructor(
    private readonly deps: {
      repository: Repository
      customProviders: CustomProviderStore
      box: SecretBox
      keyId: string
      toolSettings: ConnectionSideRecord
    },
  ) {}

  async reencrypt(options: ReencryptOptions): Promise<ReencryptReport> {
    const report: ReencryptReport = {
      owners: 0,
      checked: 0,
      reencrypted: 0,
      failed: 0,
      keyId: this.deps.keyId,
      failures: [],
    }
    for await (const owner of options.owners) {
      if (typeof owner !== 'string' || owner === '') {
        throw new ConnectionsError('invalid_request', 'reencrypt: every owner must be a non-empty string.')
      }
      await this.connectionsOf(owner, report)
      const custom = await this.deps.customProviders.reseal(owner)
      report.checked += custom.checked
      report.reencrypted += custom.resealed
      report.failed += custom.failed.length
      report.failures.push(...custom.failed.map((id) => ({ kind: 'custom_provider' as const, id })))
      report.owners++
      options.onProgress?.({
        owners: report.owners,
        checked: report.checked,
        reencrypted: report.reencrypted,
        failed: report.failed,
      })
    }
    return report
  }

  private async connectionsOf(owner: string, report: ReencryptReport): Promise<void> {
    for (const id of await this.deps.repository.listIds(owner)) {
      let outcome = 'none' as 'none' | 'current' | 'resealed' | 'failed'
      let owned = false
      try {
        await this.deps.repository.updateConnection(id, (record) => {
          owned = record.owner === owner
          if (!owned || !record.secrets) return record
          try {
            const secrets = this.deps.box.reseal(record)
            outcome = secrets ? 'resealed' : 'current'
            return secrets ? { ...record, secrets } : record
          } catch (error) {
            if (!(error instanceof DecryptionError)) throw error
            outcome = 'failed'
            return record
          }
        })
      } catch (error) {
        if (error instanceof MissingRecordError) continue
        throw error
      }
      count(report, outcome, 'connection', id)
      if (owned) count(report, await this.deps.toolSettings.reseal(owner, id), 'connection_tools', id)
    }
  }
}

function count(
  report: ReencryptReport,
  outcome: 'none' | 'current' | 'resealed' | 'failed',
  kind: ReencryptReport['failures'][number]['kind'],
  id: string,
): void {
  if (outcome === 'none') return
  report.checked++
  if (outcome === 'resealed') report.reencrypted++
  if (outcome === 'failed') {
    report.failed++
    report.failures.push({ kind, id })
  }
}
