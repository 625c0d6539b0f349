import type { JsonValue } from '../../../src/providers/tool-definition.js'

/**
 * One run of a preset tool against its provider's local fake: the input an agent sends, the request the
 * provider must receive, the provider's documented response (its real shape, from the docs named in the
 * tool's `docsUrl`), and the output the agent must get back.
 */
export interface ToolSample {
  slug: string
  /** A few words on what this sample shows (several samples may share a slug). */
  name?: string
  input: Record<string, JsonValue>
  /** What reaches the provider, relative to the preset's API base URL. */
  request: {
    method: string
    path: string
    /** Every query parameter sent (arrays when repeated); omitted or `{}` means none. */
    query?: Record<string, string | string[]>
    /** The JSON body, exactly; or `form` for a form-encoded one. Neither: no body. */
    json?: JsonValue
    form?: Record<string, string>
  }
  /** The provider's answer: status 200 unless said. */
  response: { status?: number; body: JsonValue }
  /** What `POST /connections/:id/tools/:slug/run` answers in `data.output`. */
  output: JsonValue
}

/** Samples by preset id (`github`, `gmail`, `teams`, …): every tool of the preset has at least one. */
export type ToolSamples = Record<string, ToolSample[]>
