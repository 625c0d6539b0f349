/**
 * The raw HTTP client of the fuzzer: requests go out exactly as generated (paths already
 * percent-encoded, bodies as the exact bytes, compressed or chunked on demand), one per connection, so
 * that nothing between the generator and the server normalizes them.
 */
import http from 'node:http'
import zlib from 'node:zlib'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS' | 'HEAD'
export const METHODS: readonly Method[] = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']

export interface FuzzBody {
  text: string
  /** How the text becomes bytes: UTF-8, or latin1 (one byte per char: invalid UTF-8 on purpose). */
  bytes: 'utf8' | 'latin1'
  /** Actually compress the bytes (the content-encoding header is generated separately). */
  compress: 'gzip' | 'deflate' | 'br' | null
  /** Send with Transfer-Encoding: chunked instead of a Content-Length. */
  chunked: boolean
}

export interface FuzzRequest {
  route: string
  method: Method
  /** Path and query as sent, starting with the mount path. */
  path: string
  headers: Record<string, string | string[]>
  body: FuzzBody | null
  /** Secrets the request carries (an API key, a client secret): the response must not echo them. */
  sentSecrets: string[]
}

export interface FuzzResponse {
  status: number
  headers: http.IncomingHttpHeaders
  /** Header lines as received, for "no secret anywhere in the response" checks. */
  rawHeaders: string[]
  body: string
}

/** One request on a fresh connection; rejects on a transport error or when no answer came in time. */
export function send(origin: string, request: FuzzRequest, timeoutMs: number): Promise<FuzzResponse> {
  const url = new URL(origin)
  const payload = request.body ? encodeBody(request.body) : null
  // Frame the body explicitly: Node sends a GET's body unframed otherwise (and the server then reads
  // it as a second, broken request).
  const framing = payload
    ? request.body?.chunked
      ? { 'transfer-encoding': 'chunked' }
      : { 'content-length': String(payload.length) }
    : {}
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: request.method,
        path: request.path,
        headers: { ...request.headers, ...framing },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          clearTimeout(timer)
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
          })
        })
        res.on('error', (error) => {
          clearTimeout(timer)
          reject(error)
        })
      },
    )
    const timer = setTimeout(() => {
      req.destroy(new Error(`no complete answer within ${timeoutMs} ms (a hang)`))
    }, timeoutMs)
    req.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    if (payload && request.body?.chunked) {
      req.write(payload)
      req.end()
    } else if (payload) req.end(payload)
    else req.end()
  })
}

function encodeBody(body: FuzzBody): Buffer {
  const bytes = Buffer.from(body.text, body.bytes)
  switch (body.compress) {
    case 'gzip':
      return zlib.gzipSync(bytes)
    case 'deflate':
      return zlib.deflateSync(bytes)
    case 'br':
      return zlib.brotliCompressSync(bytes)
    default:
      return bytes
  }
}

/** Everything the request says, as one string: what a response may legitimately echo. */
export function requestText(request: FuzzRequest): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `${name}: ${String(value)}`)
    .join('\n')
  let decodedPath = request.path
  try {
    decodedPath = decodeURIComponent(request.path.replace(/\+/g, ' '))
  } catch {
    // A malformed escape is echoed as sent, if at all.
  }
  return `${request.method} ${request.path}\n${decodedPath}\n${headers}\n${request.body?.text ?? ''}`
}

/** A short, readable form for counterexamples (long values are cut, their length kept). */
export function describeRequest(request: FuzzRequest): string {
  const cut = (value: string) =>
    value.length > 160 ? `${value.slice(0, 120)}…(${value.length} chars)…${value.slice(-30)}` : value
  const headers = Object.entries(request.headers).map(
    ([name, value]) => `  ${name}: ${JSON.stringify(Array.isArray(value) ? value.map(cut) : cut(value))}`,
  )
  const wire = request.body
    ? [request.body.bytes, request.body.compress, request.body.chunked ? 'chunked' : null].filter(Boolean)
    : []
  const body = request.body
    ? `  body (${wire.join(', ')}): ${JSON.stringify(cut(request.body.text))}`
    : '  (no body)'
  return [`${request.method} ${cut(request.path)}   [route ${request.route}]`, ...headers, body].join('\n')
}
