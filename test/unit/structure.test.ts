import { readdirSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KeyvStateStore } from '../../src/oauth/state-store.js'
import { VERSION } from '../../src/version.js'

const root = join(import.meta.dirname, '..', '..')

/** Every src/ file, as a path relative to src/ with forward slashes. */
function sourceFiles(dir = join(root, 'src'), prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = `${prefix}${entry.name}`
    if (entry.isDirectory()) return sourceFiles(join(dir, entry.name), `${path}/`)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm

/** What a file imports: packages by name, src/ files as paths relative to src/ (`core/access.ts`). */
function importsOf(file: string, source: string): string[] {
  return [...source.matchAll(SPECIFIER)].map(([, specifier = '']) => {
    if (!specifier.startsWith('.')) return specifier
    return posix.join(posix.dirname(file), specifier).replace(/\.js$/, '.ts')
  })
}

const files = sourceFiles().map((file) => {
  const source = readFileSync(join(root, 'src', file), 'utf8')
  return { file, source, imports: importsOf(file, source) }
})

const under = (folders: readonly string[]) => (path: string) =>
  folders.some((folder) => path === folder || path.startsWith(`${folder}/`))

/** The files of `folders` that import something `forbidden` says they must not, as "file → import". */
function violations(folders: readonly string[], forbidden: (path: string) => boolean): string[] {
  return files
    .filter(({ file }) => under(folders)(file))
    .flatMap(({ file, imports }) => imports.filter(forbidden).map((path) => `${file} → ${path}`))
}

const AGENT_LAYER = ['policy', 'agents', 'tools', 'mcp', 'agent-layer.ts']
const FRAMEWORK = ['express', 'express-session', 'passport', 'passport-oauth2', 'node:http']

/**
 * Files over 400 lines when the limit came in, pinned at that size: they may only shrink. A new
 * capability goes into a module of its own (DESIGN-AGENTS.md, "Keeping core/service.ts small").
 */
const LONG_FILES: Record<string, number> = {
  'core/service.ts': 466,
  'providers/define.ts': 427,
}
const MAX_LINES = 400

describe('structure', () => {
  it('core/ never imports express, passport or node:http: it runs without a web framework', () => {
    const dir = join(root, 'src', 'core')
    for (const file of readdirSync(dir)) {
      const source = readFileSync(join(dir, file), 'utf8')
      expect(source, file).not.toMatch(/from '(express|express-session|passport|passport-oauth2|node:http)'/)
    }
  })

  it('policy/ is pure: it imports only policy/, crypto/canonical-json.ts and node:crypto (zod in its schema only), reads no clock, fetches nothing', () => {
    const allowed = (path: string) =>
      under(['policy'])(path) || path === 'crypto/canonical-json.ts' || path === 'node:crypto'
    // policy/schema.ts is the zod schema POST /policies parses; the decision itself never loads zod.
    const allowedIn = (file: string, path: string) =>
      allowed(path) || (file === 'policy/schema.ts' && path === 'zod')
    const found = files
      .filter(({ file }) => under(['policy'])(file))
      .flatMap(({ file, imports }) =>
        imports.filter((path) => !allowedIn(file, path)).map((path) => `${file} → ${path}`),
      )
    expect(found).toEqual([])
    const impure = files
      .filter(({ file }) => under(['policy'])(file))
      .filter(({ source }) => /\bDate\.now\(|\bnew Date\(|\bfetch\(/.test(source))
      .map(({ file }) => file)
    expect(impure).toEqual([])
  })

  it('core/, storage/, oauth/, providers/, crypto/ and locks/ never import the agent layer or http/', () => {
    const below = ['core', 'storage', 'oauth', 'providers', 'crypto', 'locks']
    expect(violations(below, under([...AGENT_LAYER, 'http']))).toEqual([])
  })

  it('agents/, tools/ and mcp/ never see Express and reach core only through core/access.ts', () => {
    const forbidden = (path: string) =>
      FRAMEWORK.includes(path) ||
      under(['http', 'router.ts', 'api.ts'])(path) ||
      ['core/service.ts', 'core/tokens.ts', 'core/proxy.ts', 'storage/repository.ts'].includes(path)
    expect(violations(['agents', 'tools', 'mcp'], forbidden)).toEqual([])
  })

  it('client/ imports nothing but client/ (no zod, no node:*, no server code): it runs in browsers', () => {
    const found = files
      .filter(({ file }) => under(['client'])(file))
      .flatMap(({ file, imports }) =>
        imports.filter((path) => !under(['client'])(path)).map((p) => `${file} → ${p}`),
      )
    expect(found).toEqual([])
  })

  it('elements/ imports only elements/, client/ and lit (no server code, no node:*): it runs in browsers', () => {
    const allowed = (path: string) => under(['elements', 'client'])(path) || path === 'lit'
    expect(violations(['elements'], (path) => !allowed(path))).toEqual([])
    // The rule sees the folder: an empty one would pass it for nothing.
    expect(files.filter(({ file }) => under(['elements'])(file)).length).toBeGreaterThan(3)
  })

  it("only mcp/ (and the agents' endpoint, http/mcp-route.ts) reaches the MCP SDK, an optional peer: mcp/ by import() only", () => {
    const sdk = (path: string) => path.startsWith('@modelcontextprotocol/')
    const elsewhere = files
      .filter(({ file }) => !under(['mcp', 'http/mcp-route.ts'])(file))
      .flatMap(({ file, imports }) => imports.filter(sdk).map((path) => `${file} → ${path}`))
    expect(elsewhere).toEqual([])
    // A static value import would make loading the router fail where the peer is not installed.
    const STATIC_SDK = /^\s*import\s+(?!type\b)[^;]*?from\s*['"]@modelcontextprotocol\//m
    expect(
      files.filter(({ file, source }) => under(['mcp'])(file) && STATIC_SDK.test(source)).map((f) => f.file),
    ).toEqual([])
  })

  it('agents/ never imports tools/ or mcp/, and tools/ never imports mcp/', () => {
    expect(violations(['agents'], under(['tools', 'mcp']))).toEqual([])
    expect(violations(['tools'], under(['mcp']))).toEqual([])
  })

  it('only mcp/ and http/ MCP routes import @modelcontextprotocol/sdk, and only lazily (an optional peer): import() or import type', () => {
    const sdk = (path: string) => path.startsWith('@modelcontextprotocol/sdk')
    const users = files.filter(({ imports }) => imports.some(sdk)).map(({ file }) => file)
    expect(users.filter((file) => !file.startsWith('mcp/') && !/^http\/mcp[\w-]*\.ts$/.test(file))).toEqual(
      [],
    )
    const eager = files.filter(({ source }) =>
      /^\s*import\s+(?!type\b)[^;]*from\s*['"]@modelcontextprotocol\/sdk/m.test(source),
    )
    expect(eager.map(({ file }) => file)).toEqual([])
    // The transports stay at the HTTP edge.
    const transports = files.filter(
      ({ file, imports }) =>
        file.startsWith('mcp/') &&
        imports.some((path) => /^@modelcontextprotocol\/sdk\/server\/.*[Hh]ttp/.test(path)),
    )
    expect(transports.map(({ file }) => file)).toEqual([])
  })

  it(`no src/ file is over ${MAX_LINES} lines, and the ones that were only shrink`, () => {
    const lines = (source: string) => source.split('\n').length - (source.endsWith('\n') ? 1 : 0)
    // A generated file (the client's wire types) is as long as the API it describes.
    const written = files.filter(({ source }) => !source.startsWith('// Generated by scripts/'))
    const tooLong = written
      .filter(({ file, source }) => lines(source) > (LONG_FILES[file] ?? MAX_LINES))
      .map(({ file, source }) => `${file}: ${lines(source)} lines`)
    expect(tooLong).toEqual([])
    // A pinned file that is gone, or fits the limit now, leaves the list: it may not grow back.
    const stale = Object.keys(LONG_FILES).filter((file) => {
      const found = files.find((f) => f.file === file)
      return !found || lines(found.source) <= MAX_LINES
    })
    expect(stale).toEqual([])
  })

  it('the import scan sees relative, package and dynamic imports', () => {
    const source =
      "import { a } from '../core/access.js'\nimport type { B } from 'express'\nexport * from './c.js'\nawait import('../http/x.js')\nimport './side.js'\n"
    expect(importsOf('agents/gate.ts', source)).toEqual([
      'core/access.ts',
      'express',
      'agents/c.ts',
      'http/x.ts',
      'agents/side.ts',
    ])
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
