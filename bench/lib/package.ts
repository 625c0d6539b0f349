import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type * as ExpressConnections from 'express-connections'

/** The package's public API; typed from the sources, loaded from the build. */
export type Package = typeof ExpressConnections

/**
 * The built package (dist/index.js), as users run it. The runner builds it and hands every child a
 * snapshot of dist/ taken for the run (BENCH_PACKAGE_DIR), so a rebuild elsewhere during a run cannot
 * swap the code under test.
 */
export async function loadPackage(): Promise<Package> {
  const dir = process.env.BENCH_PACKAGE_DIR
  if (!dir) throw new Error('BENCH_PACKAGE_DIR is not set: this file is started by bench/run.ts')
  return (await import(pathToFileURL(join(dir, 'index.js')).href)) as Package
}
