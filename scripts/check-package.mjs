#!/usr/bin/env node
// Proves that the tarball `npm pack` produces works for the people who install it, in fresh projects
// outside this repository:
//   1. packs the package (its prepare script runs the build) and checks what the tarball ships;
//   2. an ESM TypeScript app (strict, NodeNext, skipLibCheck off) imports the package, type-checks
//      against dist/index.d.ts, compiles, mounts the router and calls it over HTTP;
//   3. a CommonJS TypeScript app (module NodeNext, no "type" field) does the same against dist/index.d.cts
//      and runs compiled to require();
//   4. a fresh `npm init -y` app ("type": "commonjs") with `tsc --init`'s defaults: they reject every
//      import (verbatimModuleSyntax, TS1295) as the README says; with the README's one change it
//      type-checks (req.user?.id through the README's Express.User augmentation), compiles and runs;
//   5. a plain CommonJS app require()s dist/index.cjs and does the same HTTP checks;
//   6. the express-connections-dev-oauth command starts from the tarball (oidc-provider installed), and
//      says how to install oidc-provider where it is missing.
// Nothing but the npm registry is contacted: the OAuth URLs are fake and never called.
//
// Usage: node scripts/check-package.mjs   (CHECK_PACKAGE_KEEP=1 keeps the temp dirs for debugging)
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const keep = process.env.CHECK_PACKAGE_KEEP === '1'
const started = Date.now()

const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error']
const RUNTIME_DEPS = ['express@5', 'keyv@5.6.0']
const TYPE_DEPS = ['typescript@6.0.3', '@types/express@5', '@types/node@20']
const DEV_SERVER_DEPS = ['oidc-provider@9']

const log = (message) => console.log(`package: ${message}`)

class CheckError extends Error {
  constructor(message, output = '') {
    super(message)
    this.output = output
  }
}

/** npm sets these for `npm run`; a nested npm in another project must not inherit them. */
function childEnv() {
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|config_local_prefix$|config_prefix$)/i.test(key)) delete env[key]
  }
  return env
}

function run(command, args, { cwd, timeoutMs = 300_000 } = {}) {
  const shown = `${command} ${args.join(' ')}`
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    })
    let output = ''
    let stdout = ''
    child.stdout.on('data', (chunk) => {
      stdout += chunk
      output += chunk
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new CheckError(`could not start \`${shown}\` (in ${cwd}): ${error.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      if (code === 0) return resolve({ stdout, output })
      const why = signal
        ? `was killed (${signal}${signal === 'SIGKILL' ? `, over ${timeoutMs} ms` : ''})`
        : `exited ${code}`
      reject(new CheckError(`\`${shown}\` ${why} (in ${cwd})`, output))
    })
  })
}

const write = async (dir, file, content) => {
  await mkdir(dirname(join(dir, file)), { recursive: true })
  await writeFile(
    join(dir, file),
    typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
  )
}

async function listFiles(dir, base = dir) {
  const out = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await listFiles(path, base)))
    else out.push(relative(base, path).split(sep).join('/'))
  }
  return out
}

// ---------------------------------------------------------------------------------------------------
// Sources of the consumer apps
// ---------------------------------------------------------------------------------------------------

const PROVIDER_ID = 'acme'

/**
 * The TypeScript consumer: the same code compiled once as ESM and once as CommonJS. The functions that
 * are never called only carry type assertions (`@ts-expect-error` fails the build if the types went `any`).
 */
function tsApp({ cjs }) {
  const resolved = cjs
    ? "require.resolve('express-connections')"
    : "import.meta.resolve('express-connections')"
  const entry = cjs ? 'dist/index.cjs' : 'dist/index.js'
  return `import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import express, { type Request } from 'express'
import {
  ConnectionsError,
  type ConnectionsRouter,
  type ConnectionsRouterOptions,
  createConnectionsRouter,
  type ErrorCode,
  type OAuth2Provider,
  type ProviderView,
  providers,
} from 'express-connections'
import Keyv from 'keyv'

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message)
}

const provider: OAuth2Provider = providers.oauth2({
  id: '${PROVIDER_ID}',
  name: 'Acme',
  authorizationUrl: 'https://auth.example.test/authorize',
  tokenUrl: 'https://auth.example.test/token',
  clientId: 'client-id',
  clientSecret: 'client-secret',
  scopes: ['read'],
})

const options: ConnectionsRouterOptions = {
  store: new Keyv(),
  providers: [provider],
  encryptionKey: randomBytes(32).toString('base64'),
  getOwner: (req: Request) => req.get('x-user-id'),
}
const router: ConnectionsRouter = createConnectionsRouter(options)

// Type-level checks only (never called).
export function typeChecks(): void {
  // @ts-expect-error encryptionKey is required
  createConnectionsRouter({ store: new Keyv(), providers: [provider] })
  // @ts-expect-error clientSecret is required
  providers.oauth2({ id: 'x', authorizationUrl: 'https://a.test', tokenUrl: 'https://a.test', clientId: 'x' })
  // @ts-expect-error store must be Keyv-like
  createConnectionsRouter({ store: 'memory', providers: [provider], encryptionKey: 'k' })
  const list: Promise<ProviderView[]> = router.connections.providers()
  void list
  const error: unknown = new Error('x')
  if (error instanceof ConnectionsError) {
    const code: ErrorCode = error.code
    // @ts-expect-error codes are a closed union
    const bogus: typeof code = 'no_such_code'
    void bogus
    const status: number = error.status
    void code
    void status
  }
}

async function main(): Promise<void> {
  const resolved = ${resolved}
  check(resolved.replace(/\\\\/g, '/').endsWith('/express-connections/${entry}'), \`express-connections resolved to \${resolved}, expected ${entry}\`)

  const error = new ConnectionsError('not_found', 'nope')
  check(error instanceof Error && error.status === 404 && error.code === 'not_found', 'ConnectionsError is broken')

  const catalog = await router.connections.providers()
  check(catalog.some((p) => p.id === '${PROVIDER_ID}'), \`router.connections.providers(): \${JSON.stringify(catalog)}\`)

  const app = express()
  app.use('/integrations', router)
  const server = app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const base = \`http://127.0.0.1:\${port}/integrations\`
  try {
    const res = await fetch(\`\${base}/providers\`)
    const text = await res.text()
    check(res.status === 200, \`GET /integrations/providers answered \${res.status}: \${text}\`)
    const body = JSON.parse(text) as { data?: ProviderView[] }
    const listed = body.data?.find((p) => p.id === '${PROVIDER_ID}')
    check(listed, \`GET /integrations/providers does not list "${PROVIDER_ID}": \${text}\`)
    check(listed.kind === 'oauth2' && listed.name === 'Acme', \`unexpected provider view: \${JSON.stringify(listed)}\`)

    const spec = await fetch(\`\${base}/openapi.json\`)
    const specText = await spec.text()
    check(spec.status === 200, \`GET /integrations/openapi.json answered \${spec.status}: \${specText.slice(0, 500)}\`)
    const openapi = (JSON.parse(specText) as { openapi?: unknown }).openapi
    check(typeof openapi === 'string' && openapi.startsWith('3.1'), \`openapi.json has openapi=\${String(openapi)}\`)
  } finally {
    server.closeAllConnections()
    server.close()
  }
  console.log('consumer app OK')
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(\`consumer app FAILED: \${error instanceof Error ? (error.stack ?? error.message) : String(error)}\`)
    process.exit(1)
  },
)
`
}

const CJS_APP = `'use strict'
const assert = require('node:assert/strict')
const { randomBytes } = require('node:crypto')
const { once } = require('node:events')
const express = require('express')
// keyv 5's CommonJS build exports { Keyv, KeyvHooks, default: Keyv }: the class is not module.exports itself.
const { Keyv } = require('keyv')
const { createConnectionsRouter, providers, ConnectionsError, InProcessLock } = require('express-connections')

async function main() {
  assert.equal(typeof Keyv, 'function', 'require("keyv").Keyv is not a class')
  const resolved = require.resolve('express-connections').replace(/\\\\/g, '/')
  assert.ok(resolved.endsWith('/express-connections/dist/index.cjs'), 'resolved to ' + resolved)
  const pkg = require('express-connections/package.json')
  assert.equal(typeof pkg.version, 'string', 'express-connections/package.json is not exported')
  assert.equal(typeof createConnectionsRouter, 'function', 'createConnectionsRouter is not exported')
  assert.equal(typeof providers.oauth2, 'function', 'providers.oauth2 is not exported')
  assert.equal(typeof InProcessLock, 'function', 'InProcessLock is not exported')
  assert.equal(new ConnectionsError('not_found', 'x').status, 404, 'ConnectionsError is broken')

  const router = createConnectionsRouter({
    store: new Keyv(),
    providers: [
      providers.oauth2({
        id: '${PROVIDER_ID}',
        name: 'Acme',
        authorizationUrl: 'https://auth.example.test/authorize',
        tokenUrl: 'https://auth.example.test/token',
        clientId: 'client-id',
        clientSecret: 'client-secret',
        scopes: ['read'],
      }),
    ],
    encryptionKey: randomBytes(32).toString('hex'),
  })
  const app = express()
  app.use('/integrations', router)
  const server = app.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const base = 'http://127.0.0.1:' + server.address().port + '/integrations'
  try {
    const res = await fetch(base + '/providers')
    const text = await res.text()
    assert.equal(res.status, 200, 'GET /integrations/providers: ' + text)
    const listed = JSON.parse(text).data.find((p) => p.id === '${PROVIDER_ID}')
    assert.ok(listed, 'GET /integrations/providers does not list "${PROVIDER_ID}": ' + text)
    assert.equal(listed.kind, 'oauth2')

    const spec = await fetch(base + '/openapi.json')
    assert.equal(spec.status, 200, 'GET /integrations/openapi.json answered ' + spec.status)
    const { openapi } = await spec.json()
    assert.ok(typeof openapi === 'string' && openapi.startsWith('3.1'), 'openapi.json has openapi=' + openapi)
  } finally {
    server.closeAllConnections()
    server.close()
  }
  console.log('consumer app OK')
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error('consumer app FAILED: ' + (error && error.stack ? error.stack : error))
    process.exit(1)
  },
)
`

const tsconfig = (module) => ({
  compilerOptions: {
    target: 'ES2022',
    module,
    moduleResolution: module,
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    esModuleInterop: true,
    // Check the package's own .d.ts files too, as a consumer with skipLibCheck off would.
    skipLibCheck: false,
    noEmitOnError: true,
    rootDir: 'src',
    outDir: 'dist',
  },
  include: ['src'],
})

// ---------------------------------------------------------------------------------------------------
// Steps
// ---------------------------------------------------------------------------------------------------

async function pack(workDir) {
  log('packing (its prepare script runs the build)…')
  const dest = join(workDir, 'pack')
  await mkdir(dest)
  await run('npm', ['pack', '--pack-destination', dest, '--loglevel=error'], { cwd: root })
  const tarballs = (await readdir(dest)).filter((f) => f.endsWith('.tgz'))
  if (tarballs.length !== 1)
    throw new CheckError(`expected one .tgz in ${dest}, found: ${tarballs.join(', ') || 'none'}`)
  log(`packed ${tarballs[0]}`)
  return join(dest, tarballs[0])
}

/** What the tarball ships, read from the copy npm installed into the ESM app. */
async function checkContents(installed) {
  const files = await listFiles(installed)
  const pkg = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'))
  const problems = []
  const targets = new Set([pkg.main, pkg.module, pkg.types].filter(Boolean))
  const walk = (node) => {
    if (typeof node === 'string') targets.add(node)
    else if (node && typeof node === 'object') Object.values(node).forEach(walk)
  }
  walk(pkg.exports)
  for (const target of targets) {
    if (!existsSync(join(installed, target)))
      problems.push(`${target} (named in package.json) is not in the tarball`)
  }
  for (const required of [
    'dist/index.js',
    'dist/index.cjs',
    'dist/index.d.ts',
    'dist/index.d.cts',
    'README.md',
  ]) {
    if (!files.includes(required)) problems.push(`${required} is not in the tarball`)
  }
  const stray = files.filter(
    (f) => /^(src|test|scripts|node_modules|coverage)\//.test(f) || /(^|\/)(\.env|.*\.tgz)$/.test(f),
  )
  if (stray.length) problems.push(`the tarball ships files it should not: ${stray.slice(0, 10).join(', ')}`)
  if (problems.length)
    throw new CheckError(`tarball contents:\n  - ${problems.join('\n  - ')}`, files.join('\n'))
  if (!files.some((f) => /^licen[cs]e(\.|$)/i.test(f))) {
    log(`WARNING: no LICENSE file in the tarball (package.json says "license": "${pkg.license}")`)
  }
  log(`tarball contents OK (${files.length} files: ${files.join(', ')})`)
}

const isListedFile = (line) => /^(\/|[A-Za-z]:[\\/]).*\.[cm]?tsx?$/.test(line.trim())

/**
 * Type-checks and compiles a consumer project (`noEmitOnError`, so nothing runs unless it type-checks),
 * then makes sure TypeScript read the package's `expected` declaration file and not the `other` one.
 */
async function typeCheckAndCompile(dir, tsc, expected, other, label) {
  let stdout
  try {
    ;({ stdout } = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFiles'], { cwd: dir }))
  } catch (error) {
    // Keep the diagnostics, drop the list of files --listFiles adds.
    if (error instanceof CheckError) {
      error.message = `${label} does not type-check: ${error.message}`
      error.output = error.output
        .split(/\r?\n/)
        .filter((line) => !isListedFile(line))
        .join('\n')
    }
    throw error
  }
  const names = stdout.split(/\r?\n/).map((l) => l.trim().replace(/\\/g, '/'))
  const ours = names.filter((n) => n.includes('/node_modules/express-connections/'))
  const used = (file) => ours.some((n) => n.endsWith(`/node_modules/express-connections/${file}`))
  if (!used(expected) || used(other)) {
    throw new CheckError(
      `${label}: expected TypeScript to read the package's ${expected} only; it read: ${ours.join(', ') || 'nothing'}`,
    )
  }
  log(`${label} type-checks and compiles (types from ${expected})`)
}

/** Runs a consumer app; it must exit 0 and say it got to the end. */
async function runApp(dir, file, label) {
  const { output } = await run(process.execPath, [file], { cwd: dir, timeoutMs: 30_000 })
  if (!output.includes('consumer app OK')) throw new CheckError(`${label} exited 0 without finishing`, output)
  log(`${label} OK`)
}

async function esmTypeScriptApp(dir, tarball) {
  await write(dir, 'package.json', { name: 'esm-ts-consumer', private: true, type: 'module' })
  await run('npm', [...NPM_INSTALL, tarball, ...RUNTIME_DEPS, ...TYPE_DEPS, ...DEV_SERVER_DEPS], { cwd: dir })
  log('ESM TypeScript app installed')
  return async () => {
    await write(dir, 'tsconfig.json', tsconfig('NodeNext'))
    await write(dir, 'src/app.ts', tsApp({ cjs: false }))
    const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc')
    await typeCheckAndCompile(dir, tsc, 'dist/index.d.ts', 'dist/index.d.cts', 'ESM TypeScript app')
    await runApp(dir, 'dist/app.js', 'ESM TypeScript app')

    // CommonJS TypeScript: a sub-project without "type" (so .ts compiles to require()), sharing node_modules.
    const cjsDir = join(dir, 'cjs-ts')
    await write(cjsDir, 'package.json', { name: 'cjs-ts-consumer', private: true })
    await write(cjsDir, 'tsconfig.json', tsconfig('NodeNext'))
    await write(cjsDir, 'src/app.ts', tsApp({ cjs: true }))
    await typeCheckAndCompile(cjsDir, tsc, 'dist/index.d.cts', 'dist/index.d.ts', 'CommonJS TypeScript app')
    await runApp(cjsDir, 'dist/app.js', 'CommonJS TypeScript app')

    await initTypeScriptApp(join(dir, 'init-ts'), tsc)
  }
}

// The README's augmentation ("TypeScript"): Express's Request has no `user` without it.
const OWNER_TS = `import type { Request } from 'express'

declare global {
  namespace Express {
    interface User {
      id: string
      role?: string
    }
    interface Request {
      user?: User | undefined
    }
  }
}

export const ownerOf = (req: Request): string | undefined => req.user?.id
`

/** `npm init -y` and `tsc --init` as a newcomer runs them, sharing the ESM app's node_modules. */
async function initTypeScriptApp(dir, tsc) {
  await mkdir(dir)
  await run('npm', ['init', '-y', '--loglevel=error'], { cwd: dir })
  await run(process.execPath, [tsc, '--init'], { cwd: dir })
  await write(dir, 'app.ts', tsApp({ cjs: true }))
  await write(dir, 'owner.ts', OWNER_TS)
  const defaults = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: dir }).then(
    () => '',
    (error) => (error instanceof CheckError ? error.output : String(error)),
  )
  if (!defaults.includes('TS1295')) {
    throw new CheckError(
      "tsc --init's defaults in a CommonJS app no longer fail with TS1295: update the README's TypeScript notes",
      defaults,
    )
  }
  // The README's fix for a CommonJS app; "types": [] (TypeScript 6's default) also hides node's types.
  const config = await readFile(join(dir, 'tsconfig.json'), 'utf8')
  const fixed = config
    .replace(/"verbatimModuleSyntax":\s*true/, '"verbatimModuleSyntax": false')
    .replace(/"types":\s*\[\]/, '"types": ["node"]')
  if (!fixed.includes('"verbatimModuleSyntax": false')) {
    throw new CheckError('tsc --init wrote no "verbatimModuleSyntax": true', config)
  }
  await write(dir, 'tsconfig.json', fixed)
  await typeCheckAndCompile(dir, tsc, 'dist/index.d.cts', 'dist/index.d.ts', '`npm init` + `tsc --init` app')
  await runApp(dir, 'app.js', '`npm init` + `tsc --init` app')
}

/** Starts the command until it prints its first line (or fails), then stops it; returns what it printed. */
function runDevServer(bin, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, '--port', '0'], { cwd, env: childEnv() })
    let output = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    const collect = (chunk) => {
      output += chunk
      if (output.includes('providers.oauth2(')) child.kill('SIGTERM')
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

async function devServerCommand(esmDir, cjsDir) {
  const bin = (dir) => join(dir, 'node_modules', 'express-connections', 'dist', 'dev-server', 'cli.js')
  const started = await runDevServer(bin(esmDir), esmDir)
  if (!/Local OAuth server \(development only\) at http:\/\/127\.0\.0\.1:\d+/.test(started.output)) {
    throw new CheckError('express-connections-dev-oauth did not start', started.output)
  }
  const missing = await runDevServer(bin(cjsDir), cjsDir)
  if (missing.code !== 1 || !missing.output.includes('npm install -D oidc-provider')) {
    throw new CheckError(
      'express-connections-dev-oauth without oidc-provider: no install hint',
      missing.output,
    )
  }
  log('express-connections-dev-oauth OK (starts; says how to install oidc-provider where it is missing)')
}

async function cjsApp(dir, tarball) {
  await write(dir, 'package.json', { name: 'cjs-consumer', private: true })
  await run('npm', [...NPM_INSTALL, tarball, ...RUNTIME_DEPS], { cwd: dir })
  log('CommonJS app installed')
  return async () => {
    await write(dir, 'app.js', CJS_APP)
    await runApp(dir, 'app.js', 'CommonJS app')
  }
}

async function main() {
  const workDir = await mkdtemp(join(tmpdir(), 'express-connections-package-'))
  const interrupted = (signal) => {
    if (!keep) rmSync(workDir, { recursive: true, force: true })
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  try {
    const tarball = await pack(workDir)
    const esmDir = join(workDir, 'esm-ts')
    const cjsDir = join(workDir, 'cjs')
    await Promise.all([mkdir(esmDir), mkdir(cjsDir)])
    log('installing the tarball into fresh ESM TypeScript and CommonJS apps…')
    const installs = await Promise.allSettled([esmTypeScriptApp(esmDir, tarball), cjsApp(cjsDir, tarball)])
    const failed = installs.find((r) => r.status === 'rejected')
    if (failed) throw failed.reason
    await checkContents(join(esmDir, 'node_modules', 'express-connections'))
    for (const result of installs) await result.value()
    await devServerCommand(esmDir, cjsDir)
    log(`all checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  } finally {
    if (keep) log(`kept ${workDir}`)
    else await rm(workDir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(`package: FAILED: ${error.message}`)
  if (error.output) console.error(`----- output -----\n${error.output.trimEnd()}\n------------------`)
  else if (!(error instanceof CheckError)) console.error(error.stack)
  process.exitCode = 1
})
