/**
 * Idempotency for initiateTransaction, as a state machine you can read: the records, the
 * table of their transitions, and the one function that decides what a caller does next.
 *
 * A reference (KS Pay app id + the merchant's referenceNumber) is owned by the client that
 * first used it and names one payment. Its record moves only along TRANSITIONS:
 *
 *   (none) ──claim──▶ claimed ──answered──▶ succeeded
 *          ──claim after loss──▶  ──refused───▶ rejected
 *                      │  ▲    ──not sent──▶ (none)         KS Pay certainly did nothing
 *                      │  │    ──not looked up──▶ (none)    nothing sent; the next call looks again
 *          gave up ────┘  └── take over ── unknown          no answer came: it may exist
 *
 * While a caller holds the claim it may send, wait, look the reference up and send once
 * more, renewing the claim at each step; others wait, for CLAIM_WAIT_MS at most, then
 * are told when to retry (the claim's lease end). A claim whose holder went silent for a
 * lease is taken over like an unknown one. After the store lost records (a look-up
 * window, ./loss-window.ts) a new claim looks the reference up before its first send.
 * Every change is a compare-and-set on the record's version, so two callers (on two
 * instances) can never both act.
 */
import { hash } from 'node:crypto';
import type { StoredError } from '../errors/gateway-errors.js';
import type { Transaction } from '../kspay/models.js';

export type RecordState = 'claimed' | 'unknown' | 'succeeded' | 'rejected';

interface RecordBase {
  /** Bumped by every change; compare-and-set compares it. */
  version: number;
  /** Digest of the input that makes two initiates the same payment. */
  fingerprint: string;
  /** The client that first used the reference: its API key id (never the key), or KEYLESS_OWNER. */
  owner: string;
  createdAt: number;
  /** What the merchant asked for, for reconciliation; absent in records written before it was kept. */
  asked?: AskedPayment;
}

/** The amount (exact decimal text) and currency of an initiate, as the merchant sent them. */
export interface AskedPayment {
  amount: string;
  currencyId: string;
}

export type IdempotencyRecord = RecordBase &
  /**
   * A caller is working on the reference; trusted while `claimedAt` is younger than the lease.
   * `lookUpFrom`: the store lost records, so KS Pay may hold this reference since then; look before sending.
   */
  (
    | { state: 'claimed'; claimedAt: number; abandonedAt: number | null; lookUpFrom?: number }
    /** An initiate went unanswered at `abandonedAt` and nobody is working on it now. */
    | { state: 'unknown'; abandonedAt: number }
    | { state: 'succeeded'; transaction: Transaction; signature: string }
    /** KS Pay refused: the same request always gets the same refusal. */
    | { state: 'rejected'; error: StoredError }
  );

export type Settled = Extract<IdempotencyRecord, { state: 'succeeded' | 'rejected' }>;
export type Claim = Extract<IdempotencyRecord, { state: 'claimed' }>;

/** What may happen to a record in each state, and the state it leads to (null: the record is deleted). */
export const TRANSITIONS = {
  none: { claim: 'claimed', claimAfterLoss: 'claimed' },
  claimed: {
    answered: 'succeeded',
    refused: 'rejected',
    notSent: null,
    notLookedUp: null,
    renew: 'claimed',
    gaveUp: 'unknown',
    leaseLapsed: 'unknown',
  },
  unknown: { takeOver: 'claimed' },
  succeeded: {},
  rejected: {},
} as const satisfies Record<RecordState | 'none', Record<string, RecordState | null>>;

export type TransitionEvent = { [S in keyof typeof TRANSITIONS]: keyof (typeof TRANSITIONS)[S] }[keyof typeof TRANSITIONS];

/** The state `event` leads to from `from`; throws on a transition the table does not have. */
export function transition(from: RecordState | 'none', event: TransitionEvent): RecordState | null {
  const next = (TRANSITIONS[from] as Record<string, RecordState | null>)[event];
  if (next === undefined) throw new Error(`idempotency: no transition ${event} from ${from}`);
  return next;
}

/** Who asks to initiate, and what: the two things a record must match to be theirs. */
export interface InitiateRequest {
  owner: string;
  fingerprint: string;
}

/**
 * How long a caller waits behind another's live claim (perhaps a dead instance's) before
 * it is answered UPSTREAM_UNAVAILABLE with the lease's end as `retryAfterMs`: a client
 * never holds a connection for a whole lease.
 */
export const CLAIM_WAIT_MS = 3_000;

/** What a caller does next, given the record it read. */
export type Step =
  /** `lookUpFrom`: the store lost records since; look the reference up in KS Pay before the first send. */
  | { kind: 'claim'; lookUpFrom?: number }
  | { kind: 'conflict' }
  | { kind: 'replay'; record: Settled }
  | { kind: 'wait'; untilMs: number }
  /** Waited CLAIM_WAIT_MS behind a live claim: retry once its lease ends. */
  | { kind: 'busy'; retryAfterMs: number }
  /** Take the reference over; its last initiate went unanswered at `abandonedAt`. */
  | { kind: 'take-over'; record: IdempotencyRecord; abandonedAt: number };

export interface StepContext {
  /** When this caller began waiting (its first read); absent: it may wait a whole lease. */
  waitingSince?: number;
  /** The open look-up window's start (./loss-window.ts); null or absent when no loss is recent. */
  lookUpFrom?: number | null;
}

export function nextStep(record: IdempotencyRecord | null, request: InitiateRequest, now: number, leaseMs: number, context: StepContext = {}): Step {
  if (record === null) {
    const { lookUpFrom } = context;
    transition('none', lookUpFrom == null ? 'claim' : 'claimAfterLoss');
    return lookUpFrom == null ? { kind: 'claim' } : { kind: 'claim', lookUpFrom };
  }
  // Another client's reference is a conflict whatever its input: its answer is not ours to see.
  if (record.owner !== request.owner || record.fingerprint !== request.fingerprint) return { kind: 'conflict' };
  switch (record.state) {
    case 'succeeded':
    case 'rejected':
      return { kind: 'replay', record };
    case 'unknown':
      return { kind: 'take-over', record, abandonedAt: record.abandonedAt };
    case 'claimed': {
      const leaseEnds = record.claimedAt + leaseMs;
      if (now < leaseEnds) {
        const waited = context.waitingSince === undefined ? 0 : now - context.waitingSince;
        return waited >= CLAIM_WAIT_MS ? { kind: 'busy', retryAfterMs: leaseEnds - now } : { kind: 'wait', untilMs: leaseEnds };
      }
      // Its holder went silent (an instance died mid-call): whatever it sent may have landed.
      transition('claimed', 'leaseLapsed');
      return { kind: 'take-over', record, abandonedAt: leaseEnds };
    }
  }
}

/**
 * The owner of references used while client auth is off (every caller is the same keyless
 * client). The stored value stays 'open': records written by earlier versions keep their owner.
 */
export const KEYLESS_OWNER = 'open';

/**
 * Keyed by app id, not by client: KS Pay's referenceNumber is unique per app, so one
 * reference is one payment whichever client asks (a record per client would pay twice).
 */
export function idempotencyKey(appId: string, referenceNumber: string): string {
  return `${appId}|${referenceNumber}`;
}

/** A digest of everything that makes two initiates "the same payment". */
export function fingerprintOf(input: Record<string, string>): string {
  const canonical = Object.keys(input)
    .sort()
    .map((key) => [key, input[key]]);
  return hash('sha256', JSON.stringify(canonical), 'hex');
}
