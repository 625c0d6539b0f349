/**
 * The benchmark runner: `npm run bench [-- --quick] [-- --only=vending,list] [-- --cpu-prof]`.
 *
 * Builds the package, installs bench/'s own dependencies when they are missing, runs each benchmark
 * against its baseline in rounds, prints one table and writes bench/results/latest.json (and .md).
 * Every server under load runs in a process of its own; autocannon and the burst client run here.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { agents } from './benchmarks/agents.js'
import { connect } from './benchmarks/connect.js'
import { getAccessToken } from './benchmarks/get-access-token.js'
import { list } from './benchmarks/list.js'
import { mcp } from './benchmarks/mcp.js'
import { memory } from './benchmarks/memory.js'
import { proxy } from './benchmarks/proxy.js'
import { stampede } from './benchmarks/stampede.js'
import { tools } from './benchmarks/tools.js'
import { vending } from './benchmarks/vending.js'
import { benchFile, setChildEnvironment } from './lib/children.js'
import type { BenchContext, Benchmark } from './lib/context.js'
import { choosePinning, describePinning, pinRunner } from './lib/cpus.js'
import { log } from './lib/log.js'
import { summarizeRun } from './lib/profile.js'
import { type Figure, machine, type RunReport, toMarkdown, toText } from './lib/report.js'
import { redisDbSize } from './lib/stores.js'

const BENCHMARKS: Benchmark[] = [
  vending,
  getAccessToken,
  list,
  stampede,
  connect,
  memory,
  agents,
  tools,
  mcp,
  proxy,
]

interface Args {
  quick: boolean
  only: string[] | null
  cpuProf: boolean
  build: boolean
  sqliteWal: boolean
}

function parseArgs(argv: string[]): Args {
  const args: Args = { quick: false, only: null, cpuProf: false, build: true, sqliteWal: false }
  for (const arg of argv) {
    if (arg === '--quick') args.quick = true
    else if (arg === '--cpu-prof') args.cpuProf = true
    else if (arg === '--no-build') args.build = false
    else if (arg === '--sqlite-wal') args.sqliteWal = true
    else if (arg.startsWith('--only=')) args.only = arg.slice('--only='.length).split(',')
    else if (arg === '--help' || arg === '-h') {
      console.log(
        'npm run bench -- [--quick] [--only=' +
          BENCHMARKS.map((b) => b.id).join(',') +
          '] [--cpu-prof] [--sqlite-wal] [--no-build]\n' +
          '  --quick     fewer, shorter rounds and smaller stores (under three minutes)\n' +
          '  --cpu-prof  profile the servers under test (and the in-process workers) and print their hot spots\n' +
          '  --sqlite-wal  #1 and #2 on SQLite in WAL mode (synchronous=NORMAL) instead of @keyv/sqlite defaults\n' +
          '  --no-build  use dist/ as it is',
      )
      process.exit(0)
    } else throw new Error(`unknown argument ${arg} (try --help)`)
  }
  const unknown = args.only?.filter((id) => !BENCHMARKS.some((b) => b.id === id)) ?? []
  if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(', ')}`)
  return args
}

const root = benchFile('..')

function sh(command: string, args: string[], what: string): void {
  const run = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  if (run.status !== 0) throw new Error(`${what} failed:\n${run.stdout}\n${run.stderr}`)
}

/** Grant (the baseline of #5) is a dependency of bench/ only. */
function ensureBenchDependencies(): void {
  if (existsSync(benchFile('node_modules/grant/package.json'))) return
  log('bench/node_modules is missing: installing bench/ dependencies (npm ci --prefix bench)')
  sh('npm', ['ci', '--prefix', 'bench', '--no-audit', '--no-fund'], 'npm ci --prefix bench')
}

/**
 * A copy of dist/ for this run: a rebuild elsewhere during the run cannot change the code under test.
 * Kept beside the profiles when profiling (their frames are mapped back to src/ through its map).
 */
function snapshotPackage(parent: string): string {
  const dir = join(parent, 'package')
  mkdirSync(dir, { recursive: true })
  for (const file of ['index.js', 'index.js.map']) copyFileSync(join(root, 'dist', file), join(dir, file))
  return dir
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2))
  const started = Date.now()
  const runId = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`
  const runDir = benchFile(`.data/${runId}`)
  const resultsDir = benchFile('results')
  const profileDir = args.cpuProf ? join(resultsDir, `profiles-${runId}`) : null
  mkdirSync(runDir, { recursive: true })
  mkdirSync(resultsDir, { recursive: true })
  if (profileDir) mkdirSync(profileDir, { recursive: true })
  const pinning = choosePinning()
  if (pinning) pinRunner(pinning)
  const m = machine(describePinning(pinning))
  log(`express-connections benchmarks, ${args.quick ? 'quick' : 'full'} run ${runId}`)
  log(`${m.cores} cores (${m.cpu}), Node ${m.node}; ${m.pinning}`)
  // Grant is the baseline of #5 only: a run without it needs nothing installed.
  if (!args.only || args.only.includes('connect')) ensureBenchDependencies()
  if (args.build) {
    log('building the package (npm run build)')
    sh('npm', ['run', 'build'], 'npm run build')
  }
  setChildEnvironment({ packageDir: snapshotPackage(profileDir ?? runDir), cpuProfDir: profileDir, pinning })
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
  await redisDbSize(redisUrl).catch((error: unknown) => {
    throw new Error(`Redis is not reachable at ${redisUrl} (set REDIS_URL): ${String(error)}`)
  })
  const ctx: BenchContext = {
    quick: args.quick,
    runDir,
    runId,
    encryptionKey: randomBytes(32).toString('base64'),
    redisUrl,
    sqliteWal: args.sqliteWal,
  }
  const figures: Figure[] = []
  const failures: string[] = []
  const benchSeconds: Record<string, number> = {}
  try {
    for (const benchmark of BENCHMARKS) {
      if (args.only && !args.only.includes(benchmark.id)) continue
      log(`${benchmark.title}`)
      const t0 = Date.now()
      try {
        figures.push(...(await benchmark.run(ctx)))
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        failures.push(`${benchmark.id}: ${message}`)
        log(`  FAILED: ${message}`)
      }
      benchSeconds[benchmark.id] = (Date.now() - t0) / 1000
    }
  } finally {
    rmSync(runDir, { recursive: true, force: true })
    if (readdirSync(benchFile('.data')).length === 0) rmSync(benchFile('.data'), { recursive: true })
  }
  const report: RunReport = {
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: args.quick ? 'quick' : 'full',
    only: args.only,
    startedAt: new Date(started).toISOString(),
    wallSeconds: (Date.now() - started) / 1000,
    machine: m,
    benchSeconds,
    figures,
    failures,
  }
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`)
  const name = `${report.mode}${args.only ? '-partial' : ''}-${runId}.json`
  writeFileSync(join(resultsDir, name), `${JSON.stringify(report, null, 2)}\n`)
  writeFileSync(join(resultsDir, 'latest.md'), `${toMarkdown(report)}\n`)
  console.log(`\n${toText(report)}\n`)
  if (profileDir) {
    for (const summary of summarizeRun(profileDir)) console.log(`${summary}\n`)
    console.log(`profiles: ${profileDir}`)
  }
  console.log(
    `results: bench/results/latest.json, bench/results/latest.md, bench/results/${name} (${report.wallSeconds.toFixed(0)} s)`,
  )
  if (failures.length > 0) process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
