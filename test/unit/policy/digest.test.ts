import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { requestDigest } from '../../../src/policy/digest.js'

const C = '9a1e7c52-0f4b-4c1a-8d3e-2b7f4e6a1c90'
const A = 'c3d41e2a-5b6c-4d7e-8f90-a1b2c3d4e5f6'
const body = Buffer.from('{"chat_id":42,"text":"hi"}')

describe('requestDigest', () => {
  it('is the SHA-256 of the canonical JSON of connection, agent, method, target and a digest of the body', () => {
    const bodySha = createHash('sha256').update(body).digest('hex')
    const document = `{"agentId":"${A}","body":{"bytes":"${bodySha}"},"connectionId":"${C}","method":"POST","target":"/sendMessage","v":1}`
    expect(requestDigest(C, A, 'post', '/sendMessage', body)).toBe(
      createHash('sha256').update(document).digest('hex'),
    )
  })

  it('changes with each part, so an approval covers one call only', () => {
    const digest = requestDigest(C, A, 'POST', '/sendMessage', body)
    expect(requestDigest(C, A, 'POST', '/sendMessage', Buffer.from(body))).toBe(digest)
    expect(requestDigest(C, 'other-agent', 'POST', '/sendMessage', body)).not.toBe(digest)
    expect(requestDigest('other-connection', A, 'POST', '/sendMessage', body)).not.toBe(digest)
    expect(requestDigest(C, A, 'PUT', '/sendMessage', body)).not.toBe(digest)
    expect(requestDigest(C, A, 'POST', '/sendMessage?x=1', body)).not.toBe(digest)
    expect(requestDigest(C, A, 'POST', '/sendMessage', Buffer.from('{"chat_id":43,"text":"hi"}'))).not.toBe(
      digest,
    )
    expect(requestDigest(C, A, 'POST', '/sendMessage', null)).not.toBe(digest)
  })

  it('reads a tool input as JSON, whatever its key order, and an empty body as none', () => {
    expect(requestDigest(C, A, 'TOOL', 'create_issue', { json: { title: 't', owner: 'acme' } })).toBe(
      requestDigest(C, A, 'TOOL', 'create_issue', { json: { owner: 'acme', title: 't' } }),
    )
    expect(requestDigest(C, A, 'TOOL', 'create_issue', { json: { title: 'u', owner: 'acme' } })).not.toBe(
      requestDigest(C, A, 'TOOL', 'create_issue', { json: { owner: 'acme', title: 't' } }),
    )
    expect(requestDigest(C, A, 'GET', '/user', new Uint8Array())).toBe(
      requestDigest(C, A, 'GET', '/user', null),
    )
    expect(requestDigest(C, A, 'GET', '/user', undefined)).toBe(requestDigest(C, A, 'GET', '/user', null))
  })

  it('cannot be confused by a value that spells another field', () => {
    // Canonical JSON quotes every value: no target can imitate a method or a body.
    expect(requestDigest(C, A, 'POST', '/a","method":"GET', null)).not.toBe(
      requestDigest(C, A, 'GET', '/a', null),
    )
  })
})
