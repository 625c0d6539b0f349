/** #2 programmatic `getAccessToken` ops/s against the hand-written vend, in-process (workers/get-access-token.ts). */
import { runWorker } from '../lib/children.js'
import type { Benchmark } from '../lib/context.js'
import { ratioOf, spread } from '../lib/harness.js'
import { type Figure, verdictOf } from '../lib/report.js'
import type { GetAccessTokenConfig, GetAccessTokenResult } from '../workers/get-access-token.js'
import { caseName } from './vending.js'

export const getAccessToken: Benchmark = {
  id: 'get-access-token',
  title: '#2 router.connections.getAccessToken vs keyv.get + decrypt, in-process',
  async run(ctx) {
    const config: GetAccessTokenConfig = {
      stores: ['memory', 'sqlite'],
      rounds: ctx.quick ? 3 : 5,
      roundMs: ctx.quick ? 400 : 2000,
      warmupMs: ctx.quick ? 200 : 1000,
      runDir: ctx.runDir,
      runId: ctx.runId,
      encryptionKey: ctx.encryptionKey,
      sqliteWal: ctx.sqliteWal,
    }
    const result = await runWorker<GetAccessTokenResult>(
      'get-access-token',
      'workers/get-access-token.ts',
      config,
      {
        profile: true,
      },
    )
    return result.stores.map((store, i): Figure => {
      const subject = spread(store.subject)
      const baseline = spread(store.baseline)
      return {
        bench: '#2 getAccessToken (in-process)',
        case: caseName(ctx, store.kind),
        metric: 'ops/s (1 at a time)',
        unit: '',
        subject,
        baseline,
        ratio: ratioOf(subject, baseline),
        // Issue 19's target for the in-process hand-out.
        target: 'ratio ≥ 0.85',
        verdict: verdictOf(ratioOf(subject, baseline).ratio >= 0.85),
        ...(i === 0
          ? {
              note:
                `store calls per vend: getAccessToken ${result.storeCalls.getAccessToken}; ` +
                `GET /connections/:id/token ${result.storeCalls.httpToken}; baseline ${result.storeCalls.baseline}`,
            }
          : {}),
      }
    })
  },
}
