import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { ConnectionsError, policyDenied, rateLimited } from '../../src/core/errors.js'
import { errorHandler } from '../../src/http/errors.js'
import { consoleLogger } from '../../src/logger.js'

/** An Express app whose one route throws `error`, answered by the router's own error handler. */
function throwing(error: unknown) {
  const app = express()
  app.get('/', () => {
    throw error
  })
  app.use(errorHandler(consoleLogger))
  return app
}

describe('the error codes of the agent layer', () => {
  it('answers a policy refusal 403 policy_denied with the rule that refused', async () => {
    const error = policyDenied('time_window', 'Outside the policy’s hours (09:00–18:00 Europe/Berlin).')
    const response = await request(throwing(error)).get('/')
    expect(response.status).toBe(403)
    expect(response.body.error).toEqual({
      code: 'policy_denied',
      message: 'Outside the policy’s hours (09:00–18:00 Europe/Berlin).',
      details: [{ rule: 'time_window', message: 'Outside the policy’s hours (09:00–18:00 Europe/Berlin).' }],
    })
  })

  it('answers input that does not fit its schema 422 invalid_input with its JSON pointers', async () => {
    const details = [{ pointer: '/title', message: 'must be string' }]
    const response = await request(
      throwing(new ConnectionsError('invalid_input', 'The input does not fit the tool.', { details })),
    ).get('/')
    expect(response.status).toBe(422)
    expect(response.body.error).toMatchObject({ code: 'invalid_input', details })
  })

  it('answers rate_limited 429 with Retry-After in whole seconds, at least one', async () => {
    const response = await request(throwing(rateLimited(29.2))).get('/')
    expect(response.status).toBe(429)
    expect(response.headers['retry-after']).toBe('30')
    expect(response.body.error.code).toBe('rate_limited')
    expect(rateLimited(0).retryAfterSeconds).toBe(1)
  })

  it("keeps the Retry-After of a host's own 429 (http-errors' headers), and sends none it did not give", async () => {
    const limited = Object.assign(new Error('slow down'), { status: 429, headers: { 'Retry-After': '42' } })
    const withDelay = await request(throwing(limited)).get('/')
    expect(withDelay.status).toBe(429)
    expect(withDelay.headers['retry-after']).toBe('42')
    const bare = await request(throwing(Object.assign(new Error('slow down'), { status: 429 }))).get('/')
    expect(bare.status).toBe(429)
    expect(bare.headers['retry-after']).toBeUndefined()
  })
})
