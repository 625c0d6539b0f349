import { expect } from 'vitest'
import { ConnectionsError } from '../../src/core/errors.js'

/** The `provider_error` a call must be refused with (a custom provider's address refused, say). */
export async function providerRefusal(call: Promise<unknown>): Promise<ConnectionsError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConnectionsError)
  expect((error as ConnectionsError).code).toBe('provider_error')
  return error as ConnectionsError
}
