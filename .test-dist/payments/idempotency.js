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
import { createHash } from 'node:crypto';
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
};
/** The state `event` leads to from `from`; throws on a transition the table does not have. */
export function transition(from, event) {
    const next = TRANSITIONS[from][event];
    if (next === undefined)
        throw new Error(`idempotency: no transition ${event} from ${from}`);
    return next;
}
/**
 * How long a caller waits behind another's live claim (perhaps a dead instance's) before
 * it is answered UPSTREAM_UNAVAILABLE with the lease's end as `retryAfterMs`: a client
 * never holds a connection for a whole lease.
 */
export const CLAIM_WAIT_MS = 3_000;
export function nextStep(record, request, now, leaseMs, context = {}) {
    if (record === null) {
        const { lookUpFrom } = context;
        transition('none', lookUpFrom == null ? 'claim' : 'claimAfterLoss');
        return lookUpFrom == null ? { kind: 'claim' } : { kind: 'claim', lookUpFrom };
    }
    // Another client's reference is a conflict whatever its input: its answer is not ours to see.
    if (record.owner !== request.owner || record.fingerprint !== request.fingerprint)
        return { kind: 'conflict' };
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
export function idempotencyKey(appId, referenceNumber) {
    return `${appId}|${referenceNumber}`;
}
/** A digest of everything that makes two initiates "the same payment". */
export function fingerprintOf(input) {
    const canonical = Object.keys(input)
        .sort()
        .map((key) => [key, input[key]]);
    return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
