import type { NextFunction, Request, RequestHandler, Response } from 'express'

/** Lets a route be async on Express 4 as well: a rejection goes to the router's error handler. */
export function handle(
  fn: (req: Request, res: Response, next: NextFunction) => Promise<unknown>,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    fn(req, res, next).catch(next)
  }
}
