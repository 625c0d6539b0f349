import express from 'express'
import { describe, expect, it } from 'vitest'

describe('the Express under test', () => {
  it('is the major version this vitest project is for (so the express4 project really runs Express 4)', () => {
    // express.query() was removed in Express 5.
    const major = typeof (express as unknown as { query?: unknown }).query === 'function' ? '4' : '5'
    expect(major).toBe(process.env.EXPRESS_MAJOR)
  })
})
