import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KeyvStateStore } from '../../src/oauth/state-store.js'
import { VERSION } from '../../src/version.js'

const root = join(import.meta.dirname, '..', '..')

describe('structure', () => {
  it('core/ never imports express, passport or node:http: it runs without a web framework', () => {
    const dir = join(root, 'src', 'core')
    for (const file of readdirSync(dir)) {
      const source = readFileSync(join(dir, file), 'utf8')
      expect(source, file).not.toMatch(/from '(express|express-session|passport|passport-oauth2|node:http)'/)
    }
  })

  it('the state store has the arity that makes passport-oauth2 pass the PKCE verifier and meta', () => {
    // passport-oauth2 1.8 calls store(req, verifier, state, meta, cb) only when store.length === 5,
    // and verify(req, state, meta, cb) when verify.length === 4.
    expect(KeyvStateStore.prototype.store.length).toBe(5)
    expect(KeyvStateStore.prototype.verify.length).toBe(4)
  })

  it('VERSION matches package.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    expect(VERSION).toBe(pkg.version)
  })
})
