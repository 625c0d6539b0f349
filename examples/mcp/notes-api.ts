/**
 * STAND-IN for a third-party API, so that this example runs offline: a tiny "Notes" service that
 * takes an API key as `Authorization: Bearer <key>`, lists notes and adds one. In your app this is
 * the real provider and you do not run it.
 */
import { once } from 'node:events'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** The one key the stand-in knows: Ana's, as if she had created it in the Notes settings. */
export const ANA_NOTES_KEY = 'notes_sk_ana_0f1e2d3c4b5a'

const account = { id: 'acct_1043', email: 'ana@example.com' }
const notes = [
  { id: 1, title: 'Renew the passport' },
  { id: 2, title: 'Book the dentist' },
]

/** Starts the stand-in on a free port and resolves with its URL. */
export async function startNotesApi(): Promise<string> {
  const server = http.createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    }
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    if (req.headers.authorization !== `Bearer ${ANA_NOTES_KEY}`)
      return send(401, { error: 'invalid_api_key' })
    if (req.method === 'GET' && req.url === '/v1/me') return send(200, account)
    if (req.method === 'GET' && req.url === '/v1/notes') return send(200, { notes })
    if (req.method === 'POST' && req.url === '/v1/notes') {
      const { title } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { title: string }
      const note = { id: notes.length + 1, title }
      notes.push(note)
      return send(201, note)
    }
    send(404, { error: 'not_found' })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}
