import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import keyvTestSuite, { keyvIteratorTests } from '@keyv/test-suite'
import Keyv from 'keyv'
import * as vitest from 'vitest'
import { JsonFileStore } from '../../examples/custom-store/json-file-store.js'

const { afterEach, beforeEach, describe, expect, it } = vitest

/**
 * The JSON file adapter of examples/custom-store against Keyv's own compliance suite, then the few
 * promises a file store makes that the suite cannot see. (The storage conformance suite runs on it
 * too, as the `custom` backend.) Every test has a directory of its own, removed afterwards.
 */

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'express-connections-json-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The suites call this many times per test: a new adapter each time, all on this test's file. */
const store = () => new JsonFileStore(join(dir, 'store.json'))

/**
 * Keyv 5.6 exposes `keyv.iterator()` only for adapters whose `opts.dialect` is one of its own
 * (sqlite, redis, …). This wires ours the same way, so the iterator suite runs on our iterator.
 */
class IterableKeyv extends Keyv {
  constructor(...args: ConstructorParameters<typeof Keyv>) {
    super(...args)
    const adapter = this.store as JsonFileStore
    this.iterator = this.generateIterator(adapter.iterator.bind(adapter))
  }
}

describe('@keyv/test-suite', () => {
  // keyvTestSuite runs keyvApiTests, keyvValueTests and keyvNamespaceTest; the compression tests are
  // for compression adapters, not stores.
  describe('keyvTestSuite', () => keyvTestSuite(vitest, Keyv, store))
  describe('keyvIteratorTests', () => keyvIteratorTests(vitest, IterableKeyv, store))
})

describe('JsonFileStore', () => {
  const path = () => join(dir, 'store.json')
  const onDisk = async () => JSON.parse(await readFile(path(), 'utf8')) as Record<string, { value: unknown }>
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  it('writes one at a time, each a whole file: 50 concurrent sets all land, no temp file is left', async () => {
    const adapter = store()
    const keys = Array.from({ length: 50 }, (_, i) => `k${i}`)
    await Promise.all(keys.map((key) => adapter.set(key, `value of ${key}`)))
    const saved = await onDisk()
    expect(Object.keys(saved).sort()).toEqual([...keys].sort())
    expect(saved.k7?.value).toBe('value of k7')
    expect(await readdir(dir)).toEqual(['store.json'])
  })

  it('never returns an expired key, and the next write drops it from the file', async () => {
    const adapter = store()
    await adapter.set('brief', 'gone soon', 50)
    await adapter.set('kept', 'here')
    await sleep(80)
    expect(await adapter.get('brief')).toBeUndefined()
    expect(await adapter.has('brief')).toBe(false)
    expect(await adapter.getMany(['brief', 'kept'])).toEqual([undefined, 'here'])
    expect(await adapter.delete('brief')).toBe(false)
    expect(Object.keys(await onDisk())).toEqual(['brief', 'kept'])
    await adapter.set('other', 'x')
    expect(Object.keys(await onDisk())).toEqual(['kept', 'other'])
  })

  it('a corrupt file fails every call (never reads as empty) and is left as it is', async () => {
    await writeFile(path(), '{"keyv:half')
    const adapter = store()
    const emitted: unknown[] = []
    adapter.on('error', (error) => emitted.push(error))
    const calls = [
      () => adapter.get('keyv:a'),
      () => adapter.getMany(['keyv:a']),
      () => adapter.has('keyv:a'),
      () => adapter.set('keyv:a', 'x'),
      () => adapter.delete('keyv:a'),
      () => adapter.deleteMany(['keyv:a']),
      () => adapter.clear(),
      () => adapter.iterator('keyv').next(),
    ]
    for (const call of calls) await expect(call()).rejects.toBeInstanceOf(SyntaxError)
    expect(emitted).toHaveLength(calls.length)
    // Through Keyv as the router uses it: the failure surfaces instead of reading as "not found".
    await expect(new Keyv({ store: adapter, throwOnErrors: true }).get('a')).rejects.toThrow(SyntaxError)
    expect(await readFile(path(), 'utf8')).toBe('{"keyv:half')
  })

  it('a write that fails rejects and changes nothing; writes work again once the file can be written', async () => {
    const adapter = store()
    await adapter.set('a', 'first')
    await rm(dir, { recursive: true })
    await expect(adapter.set('a', 'second')).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(adapter.delete('a')).rejects.toMatchObject({ code: 'ENOENT' })
    await expect(adapter.clear()).rejects.toMatchObject({ code: 'ENOENT' })
    expect(await adapter.get('a')).toBe('first')

    await mkdir(dir)
    await adapter.set('b', 'third')
    expect(await onDisk()).toEqual({ a: { value: 'first' }, b: { value: 'third' } })
  })
})
