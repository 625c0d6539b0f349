import { randomUUID } from 'node:crypto'
import { sameSecret } from '../crypto/compare.js'
import type { Lock } from '../locks/lock.js'
import { OwnedRecords } from '../storage/owned-records.js'
import type { SafeStore } from '../storage/safe-store.js'
import type { Approval, ApprovalRecord, ApprovalRequest, ApprovalStatus } from './model.js'

export const DEFAULT_APPROVAL_TTL_MS = 15 * 60 * 1000
/** How long a decided approval stays readable after it expires (the owner's list, the audit of it). */
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60 * 1000

export interface NewApproval {
  agentId: string
  connectionId: string
  policyId: string
  reason: string
  request: ApprovalRequest
  digest: string
}

/** Why a consume was refused: nothing of the approval is changed by it. */
export type ConsumeRefusal = 'unknown' | 'not_approved' | 'expired' | 'mismatch'

export type ConsumeResult = { ok: true; approval: Approval } | { ok: false; reason: ConsumeRefusal }

/** Told once per approval, by whichever read first finds it past `expiresAt` (under its lock). */
export type OnExpired = (owner: string, approval: Approval, now: Date) => Promise<void>

/**
 * Step-up approvals. Pending until the owner approves or denies; an approved one is consumed once, by
 * the agent it was asked for, for the same call (its digest), before `expiresAt`. There are no
 * timers: an approval past `expiresAt` that was not used becomes `expired` when it is next read, and
 * `onExpired` hears of it once (the read that stores the change; a racing one finds it expired).
 * Every change runs under the approval's lock after a fresh read, so of two racing consumes (two
 * instances, on a shared lock) exactly one wins.
 */
export class Approvals {
  private readonly records: OwnedRecords<ApprovalRecord>

  constructor(
    store: SafeStore,
    lock: Lock,
    private readonly ttlMs = DEFAULT_APPROVAL_TTL_MS,
    private readonly onExpired?: OnExpired,
  ) {
    this.records = new OwnedRecords(store, lock, 'approval')
  }

  async request(owner: string, input: NewApproval, now: Date): Promise<Approval> {
    const record: ApprovalRecord = {
      id: randomUUID(),
      owner,
      status: 'pending',
      agentId: input.agentId,
      connectionId: input.connectionId,
      policyId: input.policyId,
      reason: input.reason,
      request: input.request,
      digest: input.digest,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + this.ttlMs).toISOString(),
    }
    await this.records.insert(record, this.ttlMs + KEEP_AFTER_EXPIRY_MS)
    return toApproval(record)
  }

  /** The owner's approvals, the expired ones marked so as they are read; `status` filters after that. */
  async list(owner: string, now: Date, status?: ApprovalStatus): Promise<Approval[]> {
    const records = await this.records.list(owner)
    const current = await Promise.all(records.map((record) => this.noticeExpiry(record, now)))
    return current.filter((record) => status === undefined || record.status === status).map(toApproval)
  }

  async get(owner: string, id: string, now: Date): Promise<Approval | undefined> {
    const record = await this.records.getOwned(owner, id)
    return record && toApproval(await this.noticeExpiry(record, now))
  }

  /** The owner's decision on a pending approval; undefined when there is none, or it is no longer pending. */
  async decide(
    owner: string,
    id: string,
    decision: 'approved' | 'denied',
    now: Date,
  ): Promise<Approval | undefined> {
    let decided = false
    const record = await this.change(owner, id, now, (current) => {
      if (current.status !== 'pending') return current
      decided = true
      return { ...current, status: decision, decidedAt: now.toISOString() }
    })
    return record && decided ? toApproval(record) : undefined
  }

  /**
   * Spends an approved approval for the call it was given for: once, by its agent, with the same
   * digest, before it expires. The owner comes from the agent's key.
   */
  async consume(
    owner: string,
    id: string,
    call: { agentId: string; digest: string },
    now: Date,
  ): Promise<ConsumeResult> {
    let refusal: ConsumeRefusal | null = null
    const record = await this.change(owner, id, now, (current) => {
      if (current.status === 'expired') refusal = 'expired'
      else if (current.status !== 'approved') refusal = 'not_approved'
      else if (current.agentId !== call.agentId || !sameSecret(current.digest, call.digest))
        refusal = 'mismatch'
      else {
        refusal = null
        return { ...current, status: 'used', usedAt: now.toISOString() }
      }
      return current
    })
    if (!record) return { ok: false, reason: 'unknown' }
    if (refusal !== null) return { ok: false, reason: refusal }
    return { ok: true, approval: toApproval(record) }
  }

  /** Reads under the lock, marks expiry, then applies `change`. */
  private async change(
    owner: string,
    id: string,
    now: Date,
    change: (current: ApprovalRecord) => ApprovalRecord,
  ): Promise<ApprovalRecord | undefined> {
    let expiredNow: ApprovalRecord | undefined
    const record = await this.records.update(
      owner,
      id,
      (current) => {
        const marked = expiredBy(current, now)
        expiredNow = marked === current ? undefined : marked
        return change(marked)
      },
      this.ttlMs + KEEP_AFTER_EXPIRY_MS,
    )
    if (record && expiredNow) await this.onExpired?.(owner, toApproval(expiredNow), now)
    return record
  }

  private async noticeExpiry(record: ApprovalRecord, now: Date): Promise<ApprovalRecord> {
    if (expiredBy(record, now) === record) return record
    return (await this.change(record.owner, record.id, now, (current) => current)) ?? expiredBy(record, now)
  }
}

/** The record, with `expired` as its status if it was still pending or approved at `expiresAt`. */
function expiredBy(record: ApprovalRecord, now: Date): ApprovalRecord {
  const open = record.status === 'pending' || record.status === 'approved'
  return open && now.getTime() >= Date.parse(record.expiresAt) ? { ...record, status: 'expired' } : record
}

function toApproval({ owner: _owner, digest: _digest, ...approval }: ApprovalRecord): Approval {
  return approval
}
