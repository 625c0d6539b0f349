import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Express, NextFunction, Request, Response } from 'express'

/**
 * The host's login, as cheap as it gets and the same in every app of a comparison: the owner is the
 * `x-user` header (one fixed user without it), put where the router's default getOwner reads it.
 */
export function identify(req: Request, _res: Response, next: NextFunction): void {
  Object.assign(req, { user: { id: req.get('x-user') ?? 'bench-user' } })
  next()
}

export function ownerOf(req: Request): string | undefined {
  return (req as Request & { user?: { id?: string } }).user?.id
}

/** Routes every bench app has: a health check (to open sockets before a burst) and, with --expose-gc, memory. */
export function benchRoutes(app: Express): void {
  app.get('/healthz', (_req, res) => {
    res.type('text').send('ok')
  })
  app.get('/__bench/memory', (_req, res) => {
    for (let i = 0; i < 3; i++) globalThis.gc?.()
    res.json({ gc: typeof globalThis.gc === 'function', ...process.memoryUsage() })
  })
}

/** Listens on 127.0.0.1 with a backlog deep enough for a burst of a thousand connections. */
export async function listen(app: Express): Promise<{ port: number; close(): Promise<void> }> {
  const server = createServer(app)
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
