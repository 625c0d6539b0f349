/**
 * Tool state on the wire (AGENTS.md, "Tools"). Written against the contract while the tool routes
 * are not yet in the OpenAPI document; once they are, these become aliases into openapi.d.ts.
 */
export interface ToolState {
  id: string
  connectionId: string
  slug: string
  toolPath: string
  displayName: string
  description: string
  inputSchema: Record<string, unknown>
  responseSchema: Record<string, unknown>
  responseFieldMap: Record<string, unknown>
  isEnabled: boolean
  inputDefaults: Record<string, unknown>
  pinnedFields: string[]
  defaultCount: number
  pinnedCount: number
  /** The schema the agent sees: pinned fields removed, defaults shown. */
  mergedInputPreview: Record<string, unknown>
  staleInputFields: string[]
  staleFieldPaths: string[]
  lastSeenAt: string | null
  createdAt: string
  updatedAt: string
}

/** `PATCH /connections/:id/tools/:slug`: what the owner may change of a tool. */
export interface ToolPatch {
  isEnabled?: boolean
  inputDefaults?: Record<string, unknown>
  pinnedFields?: string[]
}

export interface ToolRunResult {
  output: unknown
}
