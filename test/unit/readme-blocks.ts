/**
 * Turns the README's ```ts blocks into files that TypeScript can check against the built package.
 * The convention (README "TypeScript"): each block is an ES module; the names a fragment takes from
 * its context are declared before it (only those it uses and does not declare itself); a `// …` line
 * inside an object stands for the options the block leaves out (`...options,`); a block that starts
 * with `name:` is a property of the router's options.
 */
export interface ReadmeBlock {
  /** The README line of the opening fence. */
  line: number
  code: string
}

export function tsBlocks(readme: string): ReadmeBlock[] {
  return [...readme.matchAll(/^```ts\n([\s\S]*?)^```/gm)].map((m) => ({
    line: readme.slice(0, m.index).split('\n').length,
    code: m[1] ?? '',
  }))
}

/** What a fragment may take from its context, by name. */
const CONTEXT: Record<string, string> = {
  express: "import express from 'express'",
  Keyv: "import Keyv from 'keyv'",
  app: "declare const app: import('express').Express",
  router: "declare const router: import('express-connections').ConnectionsRouter",
  store: "declare const store: import('keyv').Keyv",
  options: "declare const options: import('express-connections').ConnectionsRouterOptions",
  encryptionKey: 'declare const encryptionKey: string',
  clientId: 'declare const clientId: string',
  clientID: 'declare const clientID: string',
  clientSecret: 'declare const clientSecret: string',
  authorizationUrl: 'declare const authorizationUrl: string',
  tokenUrl: 'declare const tokenUrl: string',
  baseUrl: 'declare const baseUrl: string',
  redisSocket:
    'declare const redisSocket: { connectTimeout: number; reconnectStrategy: (retries: number) => number }',
  issuer: 'declare const issuer: string',
  isMember: 'declare function isMember(user: unknown, org: string): boolean',
  connectionId: 'declare const connectionId: string',
  allUserIds: 'declare const allUserIds: string[]',
  agentKeys: 'declare const agentKeys: Map<string, { owner: string }>',
  notify: 'declare function notify(owner: string, message: string): Promise<void>',
  // The worked example of "Agents and policies" (its blocks run in order; see readme-example.test.ts).
  assert: "import assert from 'node:assert/strict'",
  base: 'declare const base: string',
  asOwner: 'declare const asOwner: Record<string, string>',
  apiId: 'declare const apiId: string',
  botId: 'declare const botId: string',
  send: 'declare function send(method: string, path: string, headers: Record<string, string>, body?: object): Promise<Response>',
  agent: 'declare const agent: { id: string }',
  asAgent: 'declare const asAgent: Record<string, string>',
  policy: 'declare const policy: { id: string }',
}

const PACKAGE_VALUES = [
  'createConnectionsRouter',
  'ConnectionsError',
  'RedisLock',
  'PostgresLock',
  'InProcessLock',
]

/** Names a block declares itself: imports and top-level const/let/function/class. */
function declaredIn(code: string): Set<string> {
  const names = new Set<string>()
  for (const m of code.matchAll(/^import\s+(?:type\s+)?([\s\S]*?)\s+from\s/gm)) {
    for (const part of (m[1] ?? '').replace(/[{}]/g, ',').split(',')) {
      const name = part
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.replace(/^type\s+/, '')
        .trim()
      if (name && /^[A-Za-z_$][\w$]*$/.test(name)) names.add(name)
    }
  }
  for (const m of code.matchAll(/^(?:export\s+)?(?:const|let|function|class)\s+([A-Za-z_$][\w$]*)/gm)) {
    if (m[1]) names.add(m[1])
  }
  for (const m of code.matchAll(/^const\s+\{([^}]*)\}\s*=/gm)) {
    for (const part of (m[1] ?? '').split(',')) names.add(part.split(':').pop()?.trim() ?? '')
  }
  return names
}

// A name, not a property (`a.name`) nor inside a string; a spread (`...name`) counts.
const uses = (code: string, name: string) =>
  new RegExp(`(?<![\\w$'"])(?<![\\w$)\\]]\\.)${name}\\b`).test(code)

/** The block as a checkable module: its context first, then the block (line numbers kept apart). */
export function checkableSource(block: ReadmeBlock): string {
  const withOptions = block.code.replace(/^(\s*)\/\/ …\s*$/gm, '$1...options,')
  const body = /^\w+:\s/.test(withOptions)
    ? `export const fragment: Partial<import('express-connections').ConnectionsRouterOptions> = {\n${withOptions}}\n`
    : withOptions
  const declared = declaredIn(body)
  const context: string[] = []
  const fromPackage = PACKAGE_VALUES.filter((name) => uses(body, name) && !declared.has(name))
  if (uses(body, 'providers') && !declared.has('providers')) {
    // `providers.x(…)` is the package's namespace; a bare `providers` is the array of them.
    if (/\bproviders\.\w/.test(body)) fromPackage.push('providers')
    else context.push("declare const providers: import('express-connections').Provider[]")
  }
  if (fromPackage.length) context.push(`import { ${fromPackage.join(', ')} } from 'express-connections'`)
  for (const [name, declaration] of Object.entries(CONTEXT)) {
    if (uses(body, name) && !declared.has(name)) context.push(declaration)
  }
  return `// README.md line ${block.line}\n${context.join('\n')}\nexport {}\n${body}`
}
