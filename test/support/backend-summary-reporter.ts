import type { Reporter, TestModule } from 'vitest/node'

/**
 * CI's proof that every storage backend ran: after the run, the number of tests passed per backend
 * (from the outermost describe of the tests under test/storage), and a failure when any test was skipped or a backend ran none.
 */
export default class BackendSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const passed = new Map<string, number>()
    const skipped: string[] = []
    for (const module of testModules) {
      const storage = module.moduleId.includes('/test/storage/')
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'skipped' || state === 'pending') skipped.push(test.fullName)
        // The backend is named by the outermost describe ("keyv-file > conformance > custom providers…").
        const outermost = test.fullName.split(' > ')[0]?.toLowerCase() ?? ''
        const backend = storage ? BACKENDS.find((name) => outermost.includes(name)) : undefined
        if (backend && state === 'passed') passed.set(backend, (passed.get(backend) ?? 0) + 1)
      }
    }
    const lines = BACKENDS.map((name) => `  ${name.padEnd(10)} ${passed.get(name) ?? 0} tests passed`)
    process.stdout.write(`\nStorage backends:\n${lines.join('\n')}\n`)
    const missing = BACKENDS.filter((name) => !passed.get(name))
    if (skipped.length > 0 || missing.length > 0) {
      process.stdout.write(
        `${skipped.map((name) => `skipped: ${name}`).join('\n')}\n` +
          `${missing.map((name) => `no test ran on ${name}`).join('\n')}\n`,
      )
      process.exitCode = 1
    }
  }
}

const BACKENDS = [
  'memory',
  'sqlite',
  'redis',
  'postgres',
  'custom',
  'keyv-file',
  'mysql',
  'memcache',
  'keyv6',
  'serializer',
]
