import { describe, expect, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import { clientTypesSource, committedClientTypes } from '../../scripts/generate-client-types.js'
import type * as client from '../../src/client/index.js'
import type { agentResource, agentWithKey, approvalResource } from '../../src/http/agent-schemas.js'
import type { policyBody, policyResource, providerConstraintsBody } from '../../src/http/policy-schemas.js'
import type {
  auditEntryResource,
  connectionResource,
  credentialsBody,
  customProviderResource,
  errorResource,
  providerResource,
  startBody,
  startResult,
  tokenResource,
} from '../../src/http/schemas.js'
import type { toolResource, toolRunResult, toolSettingsBody } from '../../src/http/tool-schemas.js'

type Out<T extends z.ZodType> = z.output<T>
type In<T extends z.ZodType> = z.input<T>

describe("the client's wire types", () => {
  it('are what scripts/generate-client-types.ts makes of the server schemas today (regenerate when this fails)', async () => {
    expect(await committedClientTypes()).toBe(await clientTypesSource())
  }, 60_000)

  // Checked by `npm run typecheck`: a server schema that changes without a regenerated client breaks these.
  it('are the answers the server sends, field for field', () => {
    expectTypeOf<client.Connection>().toEqualTypeOf<Out<typeof connectionResource>>()
    expectTypeOf<client.Provider>().toEqualTypeOf<Out<typeof providerResource>>()
    expectTypeOf<client.PendingConnection>().toEqualTypeOf<Out<typeof startResult>>()
    expectTypeOf<client.AccessToken>().toEqualTypeOf<Out<typeof tokenResource>>()
    expectTypeOf<client.AuditEntry>().toEqualTypeOf<Out<typeof auditEntryResource>>()
    expectTypeOf<client.CustomProvider>().toEqualTypeOf<Out<typeof customProviderResource>>()
    expectTypeOf<client.Agent>().toEqualTypeOf<Out<typeof agentResource>>()
    expectTypeOf<client.AgentWithKey>().toEqualTypeOf<Out<typeof agentWithKey>>()
    expectTypeOf<client.Policy>().toEqualTypeOf<Out<typeof policyResource>>()
    expectTypeOf<client.Approval>().toEqualTypeOf<Out<typeof approvalResource>>()
    expectTypeOf<client.ToolState>().toEqualTypeOf<Out<typeof toolResource>>()
    expectTypeOf<client.ToolRunResult>().toEqualTypeOf<Out<typeof toolRunResult>>()
    expectTypeOf<client.ServerErrorCode>().toEqualTypeOf<Out<typeof errorResource>['error']['code']>()
  })

  it('are the bodies the server accepts', () => {
    expectTypeOf<client.StartInput>().toEqualTypeOf<In<typeof startBody>>()
    expectTypeOf<client.CredentialsInput>().toEqualTypeOf<In<typeof credentialsBody>>()
    expectTypeOf<client.PolicyInput>().toEqualTypeOf<In<typeof policyBody>>()
    expectTypeOf<client.ProviderConstraintsInput>().toEqualTypeOf<In<typeof providerConstraintsBody>>()
    // inputDefaults is a z.custom object, which JSON Schema (and so the client) can only call unknown.
    expectTypeOf<In<typeof toolSettingsBody>>().toExtend<client.ToolPatch>()
  })
})
