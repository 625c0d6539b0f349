import Keyv from 'keyv'
import { describe, expect, it } from 'vitest'
import { ConnectionAccess } from '../../src/core/access.js'
import type { ConnectionsEvent } from '../../src/core/events.js'
import { ProviderRegistry } from '../../src/core/provider-registry.js'
import { Recorder } from '../../src/core/recorder.js'
import { RefreshBackoff } from '../../src/core/refresh-backoff.js'
import { SecretBox } from '../../src/core/sealed.js'
import { Keyring } from '../../src/crypto/keyring.js'
import { InProcessLock } from '../../src/locks/lock.js'
import { consoleLogger } from '../../src/logger.js'
import { createTokenEndpoint } from '../../src/oauth/token-client.js'
import { AuditLog } from '../../src/storage/audit-log.js'
import { CustomProviderStore } from '../../src/storage/custom-providers.js'
import { keys } from '../../src/storage/keys.js'
import { Repository } from '../../src/storage/repository.js'
import { SafeStore } from '../../src/storage/safe-store.js'
import { connectionRecord } from '../support/fixtures.js'

const KEY = Buffer.alloc(32, 7).toString('base64url')
const DAY_MS = 24 * 60 * 60 * 1000

/** The seam with real parts on an in-memory Keyv: repository, chained audit log, recorder. */
async function setup() {
  const keyring = new Keyring([KEY])
  const store = new SafeStore(new Keyv(), 5_000)
  const lock = new InProcessLock()
  const repository = new Repository(store, lock)
  const audit = new AuditLog(store, lock, DAY_MS, keyring.deriveAll('audit-trail'))
  const events: ConnectionsEvent[] = []
  const now = () => new Date()
  const recorder = new Recorder(audit, (event) => events.push(event), consoleLogger, now)
  const box = new SecretBox(keyring)
  const access = new ConnectionAccess({
    repository,
    providers: new ProviderRegistry(new Map(), new CustomProviderStore(store, lock, keyring)),
    box,
    tokenEndpoint: createTokenEndpoint(5_000),
    recorder,
    refreshSkewMs: 60_000,
    refreshBackoff: new RefreshBackoff(store),
    providerTimeoutMs: 5_000,
    tokenAuditIntervalMs: 60_000,
    now,
  })
  const { secrets: _none, ...plain } = connectionRecord({ owner: 'ana', provider: 'github', expiresAt: null })
  const record = box.withSecrets(plain, {
    accessToken: 'gho_SECRET',
    refreshToken: null,
    tokenType: 'Bearer',
    idToken: null,
  })
  await repository.upsertConnection(
    'ana',
    () => false,
    () => record,
  )
  return { store, audit, recorder, access, record, events }
}

describe('the audit trail of calls an agent makes', () => {
  it("writes the CallContext's agent, policy and approval ids into the hand-out's entry, and nothing else of it", async () => {
    const { audit, access, record } = await setup()
    await access.vend(record, { actor: 'server', action: 'token' })
    await access.vend(record, {
      actor: 'agent:bot',
      action: 'token',
      agentId: 'agent-1',
      policyId: 'policy-1',
      approvalId: 'approval-1',
    })
    const [agent, server] = (await audit.page('ana', { connectionId: record.id, limit: 10 })).entries
    expect(agent).toMatchObject({ actor: 'agent:bot', agentId: 'agent-1', policyId: 'policy-1' })
    expect(agent?.approvalId).toBe('approval-1')
    // An entry without an agent reads exactly as before: no empty id fields.
    expect(Object.keys(server ?? {}).sort()).toEqual(
      ['action', 'actor', 'at', 'connectionId', 'id', 'outcome', 'provider'].sort(),
    )
    expect(JSON.stringify([agent, server])).not.toContain('gho_SECRET')
  })

  it('gives hand-outs under another policy or approval an entry of their own within the audit interval', async () => {
    const { audit, access, record } = await setup()
    const as = (policyId: string) => ({
      actor: 'agent:bot',
      action: 'token' as const,
      agentId: 'a',
      policyId,
    })
    await access.vend(record, as('policy-1'))
    await access.vend(record, as('policy-1'))
    await access.vend(record, as('policy-2'))
    const entries = (await audit.page('ana', { limit: 10 })).entries
    expect(entries.map((e) => e.policyId)).toEqual(['policy-2', 'policy-1'])
  })

  it("notes an entry about no connection in the owner's stream only, chained, and emits its event", async () => {
    const { store, audit, recorder, record, events } = await setup()
    await recorder.note('ana', { action: 'agent_created', actor: 'ana', agentId: 'agent-1' })
    const at = new Date().toISOString()
    const approval = {
      id: 'approval-1',
      status: 'pending' as const,
      agentId: 'agent-1',
      connectionId: record.id,
      policyId: 'policy-1',
      reason: 'a write needs approval',
      request: { method: 'POST', path: '/repos/acme/app/issues', summary: 'POST /repos/acme/app/issues' },
      createdAt: at,
      expiresAt: at,
    }
    await recorder.note(
      'ana',
      {
        action: 'approval_requested',
        actor: 'agent:bot',
        connectionId: record.id,
        provider: 'github',
        agentId: 'agent-1',
        policyId: 'policy-1',
        rule: 'mode',
        approvalId: 'approval-1',
      },
      { type: 'approval.requested', owner: 'ana', approval, at },
    )
    const owner = (await audit.page('ana', { limit: 10 })).entries
    expect(owner.map((e) => e.action)).toEqual(['approval_requested', 'agent_created'])
    expect(owner[1]).not.toHaveProperty('connectionId')
    expect(owner[0]).toMatchObject({ connectionId: record.id, rule: 'mode', approvalId: 'approval-1' })
    // The connection's own stream has the approval, and no stream was opened for a missing id.
    const connection = (await audit.page('ana', { connectionId: record.id, limit: 10 })).entries
    expect(connection.map((e) => e.action)).toEqual(['approval_requested'])
    expect(await store.get(keys.auditHead('connection:undefined'))).toBeUndefined()
    expect((await audit.verify('ana')).intact).toBe(true)
    expect(events).toEqual([{ type: 'approval.requested', owner: 'ana', approval, at }])
  })
})
