import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Request, Response, Router } from 'express'

/** `ui: true`, or where the built `ui.js` is when it is not beside the package's own files. */
export type UiOption = boolean | { file: string }

/** The served script: its content-hashed path under the mount and its Subresource Integrity value. */
export interface UiScript {
  /** e.g. `ui.3f9a0c1b2d4e.js`: cached for a year (`immutable`); `ui.js` revalidates with its ETag. */
  path: string
  /** `sha384-…`, for the script tag's `integrity` attribute (the same for both paths). */
  integrity: string
}

function moduleDir(): string {
  // The CommonJS build has __dirname; the ESM build and the sources have import.meta.url.
  return typeof __dirname === 'string' ? __dirname : dirname(fileURLToPath(import.meta.url))
}

/** dist/ui.js: beside the bundle that runs (dist/index.js), or, from the sources, in dist/. */
function findUiFile(): string {
  const dir = moduleDir()
  const candidates = [join(dir, 'ui.js'), join(dir, '..', 'ui.js'), join(dir, '..', '..', 'dist', 'ui.js')]
  const found = candidates.find((file) => existsSync(file))
  if (!found) {
    throw new Error(
      `createConnectionsRouter: ui: true needs the built ui.js (looked in ${candidates.join(', ')}); run the build, or pass ui: { file }.`,
    )
  }
  return found
}

/**
 * Serves the elements as one ESM file (lit inside) at `/ui.js` and `/ui.<hash>.js`. Nothing inline
 * is needed to use it, so a page under a strict CSP (`script-src 'self'`) can load it.
 */
export function mountUiRoute(router: Router, option: UiOption | undefined): UiScript | null {
  if (!option) return null
  const file = typeof option === 'object' ? option.file : findUiFile()
  const source = readFileSync(file)
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12)
  const script: UiScript = {
    path: `ui.${hash}.js`,
    integrity: `sha384-${createHash('sha384').update(source).digest('base64')}`,
  }
  const serve = (cacheControl: string) => (req: Request, res: Response) => {
    res.set({
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': cacheControl,
      etag: `"${hash}"`,
      'x-content-type-options': 'nosniff',
    })
    if (req.fresh) return void res.status(304).end()
    res.send(source)
  }
  router.get('/ui.js', serve('public, max-age=300, must-revalidate'))
  router.get(`/${script.path}`, serve('public, max-age=31536000, immutable'))
  return script
}
