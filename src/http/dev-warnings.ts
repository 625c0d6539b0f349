import type { Request } from 'express'
import type { Logger } from '../logger.js'

/**
 * Set-up mistakes that fail quietly (every request a 401, callback URLs the provider refuses), told
 * once per router through its logger, outside production only.
 */
export class DevWarnings {
  private readonly said = new Set<string>()
  private readonly basePath: string | null

  private readonly baseUrl: string | null
  private readonly configuredMount: string | null
  private readonly defaultGetOwner: boolean

  /** @param setup.mountPath The `mountPath` option when it is a string. */
  constructor(
    private readonly logger: Logger,
    setup: { baseUrl: string | null; mountPath: string | null; defaultGetOwner: boolean },
    private readonly enabled = process.env.NODE_ENV !== 'production',
  ) {
    this.baseUrl = setup.baseUrl
    this.configuredMount = setup.mountPath
    this.defaultGetOwner = setup.defaultGetOwner
    this.basePath = setup.baseUrl ? new URL(setup.baseUrl).pathname.replace(/\/+$/, '').toLowerCase() : null
    if (setup.mountPath !== null) this.mountPath(setup.mountPath)
  }

  /** Each request, with the path it reached the router at. */
  reachedAt(path: string): void {
    this.mountPath(path)
    const configured = this.configuredMount
    if (!this.enabled || configured === null || this.said.has('mountPath')) return
    if (path.toLowerCase() === configured.toLowerCase()) return
    this.once(
      'mountPath',
      `express-connections: a request reached the router at ${path}, but the mountPath option says ` +
        `${configured}, and callback URLs are built from it: set mountPath to where the router is mounted.`,
    )
  }

  /** baseUrl is the app's URL without the mount path: one that ends with it doubles it in every link. */
  private mountPath(mount: string): void {
    if (!this.enabled || !this.basePath || !mount || this.said.has('baseUrl')) return
    if (!this.basePath.endsWith(mount.toLowerCase())) return
    const base = this.baseUrl ?? ''
    this.once(
      'baseUrl',
      `express-connections: baseUrl (${base}) already ends with the mount path ${mount}, so callback URLs ` +
        `read ${base}${mount}/callback/<provider>. baseUrl is the app's public URL without the mount path: ` +
        `did you mean ${base.slice(0, base.length - mount.length)}?`,
    )
  }

  /** The first 401 for want of an owner: says where the default getOwner looks. */
  noOwner(req: Request): void {
    if (!this.enabled || this.said.has('owner')) return
    const user = (req as Request & { user?: unknown }).user
    const why = !this.defaultGetOwner
      ? 'your getOwner returned no owner'
      : user === undefined || user === null
        ? 'the default getOwner reads req.user.id, and req.user is not set on requests that reach the ' +
          'router: mount your login (passport, a session check) before the router, or pass getOwner'
        : 'the default getOwner reads req.user.id, and req.user has no string or number id: pass ' +
          'getOwner: (req) => the id of the user (or org) who owns the connections'
    this.once('owner', `express-connections: a request was answered 401 because ${why}.`)
  }

  private once(key: string, message: string): void {
    if (this.said.has(key)) return
    this.said.add(key)
    this.logger.warn(message)
  }
}
