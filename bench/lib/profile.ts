/**
 * Reads a `--cpu-prof` profile and tells where the time went: self time per function (frames of the
 * built package mapped back to src/ through its source map), per module (the package, Express, Keyv,
 * Node's internals, …) and per source file of the package, plus the inclusive time of the package's
 * functions; all as shares of the busy time (idle and start-up module loading left out).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { basename, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
  columnNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}

interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
}

export interface Hotspot {
  name: string
  /** Share of the busy time, in percent. */
  share: number
  ms: number
}

export interface ProfileSummary {
  file: string
  /** Busy time, start-up (module loading) left out. */
  busyMs: number
  startupMs: number
  idleShare: number
  /** Self time by module. */
  modules: Hotspot[]
  /** The package's own self time by source file. */
  files: Hotspot[]
  /** Self time by function. */
  functions: Hotspot[]
  /** Time with a package function on the stack (its callees included), by function. */
  inclusive: Hotspot[]
}

const SPECIAL = new Set(['(program)', '(garbage collector)', '(root)'])
/** Loading modules (Node's loader, tsx's): start-up, left out of the shares. */
const STARTUP = new Set(['node: module loading (start-up)', 'tsx'])

function nodeArea(url: string): string {
  if (/^node:internal\/(modules|bootstrap|vm)|^node:internal\/process\/execution/.test(url)) {
    return 'node: module loading (start-up)'
  }
  if (/crypto/.test(url)) return 'node: crypto'
  if (/^node:(_http|net|stream|internal\/(stream|streams|http|net|js_stream))/.test(url)) {
    return 'node: http, net, streams'
  }
  if (/^node:(internal\/)?(timers|async_hooks|internal\/process\/task_queues)/.test(url)) {
    return 'node: timers, promises'
  }
  return 'node: other'
}

function moduleOf(url: string): string {
  if (url === '') return 'V8/native'
  if (url.startsWith('node:')) return nodeArea(url)
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (match) return match[1] ?? 'node_modules'
  return basename(url.startsWith('file:') ? fileURLToPath(url) : url)
}

interface Frame {
  name: string
  module: string
  /** The package's source file, for frames of the package. */
  file: string | null
}

/** Names frames; frames of the built package (`packageFile`) are mapped back to src/. */
function framer(packageFile: string | null) {
  const packageUrl = packageFile ? pathToFileURL(packageFile).href : null
  let map: SourceMap | null = null
  if (packageFile) {
    try {
      map = new SourceMap(
        JSON.parse(readFileSync(`${packageFile}.map`, 'utf8')) as ConstructorParameters<typeof SourceMap>[0],
      )
    } catch {
      map = null
    }
  }
  return (frame: CallFrame): Frame => {
    if (SPECIAL.has(frame.functionName)) {
      return { name: frame.functionName, module: frame.functionName, file: null }
    }
    const fn = frame.functionName || '(anonymous)'
    if (map && frame.url === packageUrl) {
      const entry = map.findEntry(frame.lineNumber, frame.columnNumber)
      if ('originalSource' in entry) {
        const file = entry.originalSource.replace(/^.*?\/src\//, 'src/')
        return { name: `${file}:${entry.originalLine + 1} ${fn}`, module: 'express-connections (src/)', file }
      }
    }
    const where = frame.url.startsWith('node:') ? frame.url : moduleOf(frame.url)
    return { name: `${where}:${frame.lineNumber + 1} ${fn}`, module: moduleOf(frame.url), file: null }
  }
}

export function summarizeProfile(file: string, packageFile: string | null, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const name = framer(packageFile)
  const frames = new Map<number, Frame>()
  const parents = new Map<number, number>()
  for (const node of profile.nodes) {
    frames.set(node.id, name(node.callFrame))
    for (const child of node.children ?? []) parents.set(child, node.id)
  }
  const idleIds = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id))
  const self = { functions: new Map<string, number>(), modules: new Map<string, number>() }
  const files = new Map<string, number>()
  const inclusive = new Map<string, number>()
  const add = (map: Map<string, number>, key: string, ms: number) => map.set(key, (map.get(key) ?? 0) + ms)
  let busy = 0
  let idle = 0
  let startup = 0
  profile.samples.forEach((id, i) => {
    const ms = (profile.timeDeltas[i] ?? 0) / 1000
    const frame = frames.get(id)
    if (!frame) return
    if (idleIds.has(id)) {
      idle += ms
      return
    }
    if (STARTUP.has(frame.module)) {
      startup += ms
      return
    }
    busy += ms
    add(self.functions, frame.name, ms)
    add(self.modules, frame.module, ms)
    if (frame.file) add(files, frame.file, ms)
    const onStack = new Set<string>()
    for (let node: number | undefined = id; node !== undefined; node = parents.get(node)) {
      const f = frames.get(node)
      if (f?.file) onStack.add(f.name)
    }
    for (const key of onStack) add(inclusive, key, ms)
  })
  const rank = (map: Map<string, number>, count: number): Hotspot[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([key, ms]) => ({ name: key, ms, share: (100 * ms) / busy }))
  return {
    file,
    busyMs: busy,
    startupMs: startup,
    idleShare: (100 * idle) / (busy + idle + startup),
    modules: rank(self.modules, 14),
    files: rank(files, 10),
    functions: rank(self.functions, top),
    inclusive: rank(inclusive, top),
  }
}

export function formatProfile(summary: ProfileSummary): string {
  const line = (h: Hotspot) =>
    `  ${h.share.toFixed(1).padStart(5)}%  ${h.ms.toFixed(0).padStart(7)} ms  ${h.name}`
  return [
    `busy ${summary.busyMs.toFixed(0)} ms (plus ${summary.startupMs.toFixed(0)} ms loading modules at start-up, left out), ` +
      `idle ${summary.idleShare.toFixed(0)}% of the profile`,
    ' self time by module (share of busy time):',
    ...summary.modules.map(line),
    ' express-connections self time by source file:',
    ...summary.files.map(line),
    ' top functions by self time:',
    ...summary.functions.map(line),
    ' express-connections functions by inclusive time (callees included):',
    ...summary.inclusive.map(line),
  ].join('\n')
}

/**
 * The main thread's profile in a child's profile directory: Node names them
 * `CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile`, and the main thread is thread 0 (the tsx
 * loader runs on another thread and writes its own).
 */
export function mainThreadProfile(dir: string): string | null {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
  const main = files.find((f) => /^CPU\.\d+\.\d+\.\d+\.0\.\d+\.cpuprofile$/.test(f))
  return main ? join(dir, main) : null
}

/** Summaries of every child's main-thread profile in a `--cpu-prof` run's directory. */
export function summarizeRun(profileDir: string, top = 15): string[] {
  const packageFile = join(profileDir, 'package', 'index.js')
  return readdirSync(profileDir)
    .sort()
    .filter((child) => child !== 'package')
    .flatMap((child) => {
      const file = mainThreadProfile(join(profileDir, child))
      return file ? [`${child}: ${formatProfile(summarizeProfile(file, packageFile, top))}`] : []
    })
}
