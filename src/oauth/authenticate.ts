import type { Request, Response } from 'express'
import type passport from 'passport'

export type StrategyOutcome =
  | { kind: 'redirect'; url: string }
  | { kind: 'success'; user: unknown }
  | { kind: 'fail'; challenge: unknown; status: number | undefined }
  | { kind: 'error'; error: unknown }

/**
 * Runs one strategy through the router's Passport and resolves with what it decided, instead of letting
 * passport write to the response: the router answers with a redirect or JSON itself, and nothing
 * touches `req.user` or the host's login session.
 */
export function runStrategy(
  instance: passport.Authenticator,
  name: string,
  req: Request,
  options: Record<string, unknown>,
  timeoutMs: number,
): Promise<StrategyOutcome> {
  return new Promise<StrategyOutcome>((resolve) => {
    const timer = setTimeout(
      () =>
        resolve({ kind: 'error', error: new Error(`the provider did not answer within ${timeoutMs} ms`) }),
      timeoutMs,
    )
    const settle = (outcome: StrategyOutcome) => {
      clearTimeout(timer)
      resolve(outcome)
    }
    const middleware = instance.authenticate(
      name,
      { ...options, session: false },
      (error: unknown, user: unknown, challenge: unknown, status: unknown) => {
        if (error) settle({ kind: 'error', error })
        else if (user) settle({ kind: 'success', user })
        else settle({ kind: 'fail', challenge, status: typeof status === 'number' ? status : undefined })
      },
    )
    middleware(
      req,
      redirectCatcher((url) => settle({ kind: 'redirect', url })),
      (error?: unknown) =>
        settle({ kind: 'error', error: error ?? new Error('the strategy passed without a decision') }),
    )
  })
}

/** The part of a response passport touches to redirect (statusCode, setHeader, end). */
function redirectCatcher(onRedirect: (url: string) => void): Response {
  let location = ''
  const catcher = {
    statusCode: 200,
    setHeader(name: string, value: string) {
      if (name.toLowerCase() === 'location') location = value
    },
    end() {
      onRedirect(location)
    },
  }
  return catcher as unknown as Response
}
