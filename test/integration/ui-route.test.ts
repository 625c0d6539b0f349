import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import request from 'supertest'
import { afterEach, describe, expect, it } from 'vitest'
import { providers } from '../../src/index.js'
import { startTestApp, type TestApp } from '../support/app.js'

/** The elements as one file the router serves: `ui: true` (dist/ui.js) or `ui: { file }`. */

const provider = providers.oauth2({
  id: 'acme',
  authorizationUrl: 'https://acme.example/authorize',
  tokenUrl: 'https://acme.example/token',
  clientId: 'acme-client',
  clientSecret: 'acme-secret-CANARY',
})

let app: TestApp | undefined
let dir = ''

afterEach(async () => {
  await app?.close()
  app = undefined
  if (dir) await rm(dir, { recursive: true, force: true })
  dir = ''
})

const sri = (bytes: Buffer) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`

describe('ui: the elements served by the router', () => {
  it('serves the file at /ui.js (revalidated by ETag) and at a content-hashed path (immutable), with its integrity', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ui-route-'))
    const file = join(dir, 'ui.js')
    const source = Buffer.from('export const ui = "elements"\n')
    await writeFile(file, source)
    app = await startTestApp(null, { providers: [provider], ui: { file } })
    const ui = app.router.ui
    expect(ui).toEqual({ path: expect.stringMatching(/^ui\.[0-9a-f]{12}\.js$/), integrity: sri(source) })

    const plain = await fetch(`${app.mount}/ui.js`)
    expect(plain.status).toBe(200)
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(plain.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate')
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await plain.arrayBuffer())).toEqual(source)
    const etag = plain.headers.get('etag') ?? ''
    expect(etag).toMatch(/^"[0-9a-f]{12}"$/)
    // No owner needed: the script is the same for everyone, and holds nothing of anyone's.
    // (supertest: fetch adds `cache-control: no-cache` to a conditional request, which skips the 304.)
    const again = await request(app.url).get('/integrations/ui.js').set('if-none-match', etag)
    expect(again.status).toBe(304)

    const hashed = await fetch(`${app.mount}/${ui?.path}`)
    expect(hashed.status).toBe(200)
    expect(hashed.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(sri(Buffer.from(await hashed.arrayBuffer()))).toBe(ui?.integrity)
    // Another content is another path: the old one is not served for it.
    expect((await fetch(`${app.mount}/ui.000000000000.js`)).status).toBe(404)
  })

  it('serves the built dist/ui.js with ui: true, and nothing without the option', async () => {
    app = await startTestApp(null, { providers: [provider], ui: true })
    const built = await readFile(join(import.meta.dirname, '..', '..', 'dist', 'ui.js'))
    expect(app.router.ui?.integrity).toBe(sri(built))
    const served = await fetch(`${app.mount}/ui.js`)
    expect(Buffer.from(await served.arrayBuffer())).toEqual(built)
    await app.close()

    app = await startTestApp(null, { providers: [provider] })
    expect(app.router.ui).toBeNull()
    expect((await fetch(`${app.mount}/ui.js`)).status).toBe(404)
  })

  it('refuses a ui option that is neither a boolean nor { file }', async () => {
    await expect(startTestApp(null, { providers: [provider], ui: { path: 'x' } as never })).rejects.toThrow(
      /ui must be true, false or \{ file: path to ui\.js \}/,
    )
  })
})
