import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AgentRegistry } from '../../../src/agents/registry.js'
import { Keyring } from '../../../src/crypto/keyring.js'
import { keys } from '../../../src/storage/keys.js'
import { type AgentStore, agentBackends } from '../../support/agent-stores.js'
import { TEST_KEY } from '../../support/app.js'

const hashKeys = new Keyring([TEST_KEY]).deriveAll('agent-key')

describe.each(agentBackends)('agent registry on $name', ({ open }) => {
  let backend: AgentStore
  let registry: AgentRegistry

  beforeAll(async () => {
    backend = await open()
    registry = new AgentRegistry(backend.store, backend.lock, hashKeys)
  })
  afterAll(() => backend?.close())

  it('makes a key of the documented shape that names the owner and agent', async () => {
    const { agent, key } = await registry.create('ana', 'Support bot')
    expect(key).toMatch(new RegExp(`^ak_${agent.id}\\.[A-Za-z0-9_-]{43}$`))
    expect(await registry.authenticate(key)).toEqual({
      owner: 'ana',
      agent: { id: agent.id, name: 'Support bot' },
    })
    expect(await registry.list('ana')).toContainEqual(agent)
    expect(await registry.list('bob')).toEqual([])
    expect(await registry.get('bob', agent.id)).toBeUndefined()
  })

  it('refuses a wrong secret, a malformed key, and another agent id with a valid secret', async () => {
    const { agent, key } = await registry.create('ana', 'a')
    const other = await registry.create('ana', 'b')
    const secret = key.split('.')[1] ?? ''
    expect(await registry.authenticate(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeNull()
    expect(await registry.authenticate(`ak_${other.agent.id}.${secret}`)).toBeNull()
    expect(await registry.authenticate(`ak_${agent.id}`)).toBeNull()
    expect(await registry.authenticate('')).toBeNull()
  })

  it('stops a deleted agent’s key at once, and only the owner can delete it', async () => {
    const { agent, key } = await registry.create('ana', 'a')
    expect(await registry.delete('bob', agent.id)).toBe(false)
    expect(await registry.authenticate(key)).not.toBeNull()
    expect(await registry.delete('ana', agent.id)).toBe(true)
    expect(await registry.authenticate(key)).toBeNull()
    expect((await registry.list('ana')).map((a) => a.id)).not.toContain(agent.id)
  })

  it('rotates: the new key works, the old one stops at once', async () => {
    const { agent, key } = await registry.create('ana', 'a')
    expect(await registry.rotateKey('bob', agent.id)).toBeUndefined()
    const rotated = await registry.rotateKey('ana', agent.id)
    expect(rotated?.key).not.toBe(key)
    expect(await registry.authenticate(key)).toBeNull()
    expect(await registry.authenticate(rotated?.key ?? '')).toMatchObject({ agent: { id: agent.id } })
  })

  it('writes the record encoded, reads one written as an object before, and knows an owner only once a key proved it', async () => {
    const { agent, key } = await registry.create('ana', 'encoded')
    const stored = await backend.store.get<unknown>(keys.owned('agent', agent.id))
    expect(typeof stored).toBe('string')
    expect(String(stored)).toMatch(/^json:\{/)
    const fresh = new AgentRegistry(backend.store, backend.lock, hashKeys)
    expect(fresh.knownOwner(agent.id)).toBeUndefined()
    expect(await fresh.authenticate(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeNull()
    expect(fresh.knownOwner(agent.id)).toBeUndefined()
    await backend.store.set(keys.owned('agent', agent.id), JSON.parse(String(stored).slice(5)), 0)
    expect(await fresh.authenticate(key)).toMatchObject({ owner: 'ana', agent: { id: agent.id } })
    expect(fresh.knownOwner(agent.id)).toBe('ana')
    expect(await fresh.delete('ana', agent.id)).toBe(true)
    expect(fresh.knownOwner(agent.id)).toBeUndefined()
  })

  it('remembers a proven key only with the hash it matched: another process’s rotation or deletion stops it, another secret never matches', async () => {
    const { agent, key } = await registry.create('ana', 'remembered')
    const other = new AgentRegistry(backend.store, backend.lock, hashKeys)
    expect(await registry.authenticate(key)).toMatchObject({ agent: { id: agent.id } })
    expect(await registry.authenticate(`${key.slice(0, -1)}${key.endsWith('A') ? 'B' : 'A'}`)).toBeNull()
    expect(await registry.authenticate(key)).toMatchObject({ agent: { id: agent.id } })
    const rotated = await other.rotateKey('ana', agent.id)
    expect(await registry.authenticate(key)).toBeNull()
    expect(await registry.authenticate(rotated?.key ?? '')).toMatchObject({ owner: 'ana' })
    expect(await registry.authenticate(rotated?.key ?? '')).toMatchObject({ owner: 'ana' })
    expect(await registry.authenticate(key)).toBeNull()
    expect(await other.delete('ana', agent.id)).toBe(true)
    expect(await registry.authenticate(rotated?.key ?? '')).toBeNull()
  })

  it('keeps no key in the store, only its keyed hash, and a hash made under another key ring fails', async () => {
    const { key } = await registry.create('ana', 'stored')
    const secret = key.split('.')[1] ?? ''
    const raw = JSON.stringify(await backend.handle.dump())
    expect(raw).not.toContain(secret)
    const elsewhere = new AgentRegistry(
      backend.store,
      backend.lock,
      new Keyring([Buffer.alloc(32, 7)]).deriveAll('agent-key'),
    )
    expect(await elsewhere.authenticate(key)).toBeNull()
  })
})
