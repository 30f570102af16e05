/**
 * Wire shapes: store records turned into the JSON the contract describes, and the
 * shape knobs that let tests vary it (bare bodies, the short initiate result, bare
 * lists, unknown extra fields, missing optional fields).
 */
import type { WireCurrency, WireInitiateResult, WirePaymentMethod, WireProcessResult, WireTransaction } from '../kspay/types.js';
import type { SandboxApp, SandboxCurrency, SandboxPaymentMethod } from './store.js';
import type { StoredTransaction } from './transaction-log.js';

export interface ShapeSettings {
  /** true: `{ status, message, result }`; false: the bare result (errors keep the envelope). */
  envelope?: boolean;
  /** The two documented shapes of initiate's result. */
  initiate?: 'full' | 'signatureOnly';
  /** GET /transaction: `{ items, page, limit, total }`, or a bare array of all matching. */
  list?: 'paged' | 'bare';
  /** Add unknown extra fields to every object. */
  extraFields?: boolean;
  /** Leave out the fields a conforming server may omit. */
  omitOptional?: boolean;
}

export type Shapes = Readonly<Required<ShapeSettings>>;

export interface ShapeController {
  /** Merges into the current settings. */
  set(settings: ShapeSettings): void;
  reset(): void;
}

const DEFAULT_SHAPES: Shapes = {
  envelope: true,
  initiate: 'full',
  list: 'paged',
  extraFields: false,
  omitOptional: false,
};

export class ShapeState implements ShapeController {
  #shapes: Shapes = DEFAULT_SHAPES;

  set(settings: ShapeSettings): void {
    const defined = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
    this.#shapes = { ...this.#shapes, ...defined };
  }

  reset(): void {
    this.#shapes = DEFAULT_SHAPES;
  }

  current(): Shapes {
    return this.#shapes;
  }
}

/** Drops `optional` keys when the shapes say so; callers list only keys their wire type marks optional. */
function omitting<T extends object>(shapes: Shapes, full: T, optional: readonly (keyof T)[]): T {
  if (!shapes.omitOptional) return full;
  const copy: Partial<T> = { ...full };
  for (const key of optional) delete copy[key];
  return copy as T;
}

/**
 * The JSON number for an amount. Exact: initiate accepts at most 15 significant
 * digits, and JavaScript prints such a number back as the same decimal text.
 */
export function wireAmount(amountText: string): number {
  return Number(amountText);
}

export function currencyView(currency: SandboxCurrency, app: SandboxApp, shapes: Shapes): WireCurrency {
  const { paymentMethods: _methods, ...fields } = currency;
  return omitting(shapes, { ...fields, userId: app.userId }, ['userId', 'createdAt', 'decimalPlaces']);
}

export function paymentMethodView(method: SandboxPaymentMethod): WirePaymentMethod {
  return { id: method.id, name: method.name, isActive: method.isActive };
}

/** The wire transaction, except that `providerPaymentId` is null until the checkout settles it. */
export type TransactionView = Omit<WireTransaction, 'providerPaymentId'> & { providerPaymentId?: string | null };

export function transactionView(t: StoredTransaction, shapes: Shapes): TransactionView {
  const full = {
    pe_txnId: t.id,
    referenceNumber: t.referenceNumber,
    amount: wireAmount(t.amount),
    currency: t.currencyCode,
    currencyId: t.currencyId,
    paymentMethodId: t.paymentMethodId,
    status: t.status,
    providerOrderId: t.providerOrderId,
    providerPaymentId: t.providerPaymentId,
    redirectUrl: t.redirectUrl,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
  };
  return omitting(shapes, full, [
    'referenceNumber',
    'currency',
    'currencyId',
    'paymentMethodId',
    'providerOrderId',
    'providerPaymentId',
    'redirectUrl',
    'createdAt',
    'updatedAt',
  ]);
}

export function initiateView(t: StoredTransaction, signature: string, shapes: Shapes): WireInitiateResult {
  if (shapes.initiate === 'signatureOnly') return { signature };
  const full = {
    pe_txnId: t.id,
    providerOrderId: t.providerOrderId,
    amount: wireAmount(t.amount),
    currency: t.currencyCode,
    signature,
  };
  return omitting(shapes, full, ['pe_txnId', 'providerOrderId', 'amount', 'currency']);
}

/** The provider order that the merchant's front end hands to the KS Pay checkout. */
export function processView(t: StoredTransaction, publicUrl: string): WireProcessResult {
  return {
    order: {
      id: t.providerOrderId,
      amount: wireAmount(t.amount),
      currency: t.currencyCode,
      receipt: t.referenceNumber,
      status: 'created',
      checkoutUrl: `${publicUrl}/checkout/${t.id}`,
      kspayId: t.id,
    },
  };
}

/** A success body: the envelope around `result`, or `result` alone. */
export function successBody(status: number, result: unknown, shapes: Shapes): unknown {
  const body = shapes.envelope ? { status, message: 'success', result } : result;
  return shapes.extraFields ? withExtraFields(body) : body;
}

/** An error body: always the envelope, never a `result`. */
export function errorBody(status: number, code: number, message: string, shapes: Shapes): unknown {
  const body = { status, message, code };
  return shapes.extraFields ? withExtraFields(body) : body;
}

/** Adds fields no reader knows to every object, deeply. */
function withExtraFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withExtraFields);
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = withExtraFields(inner);
  copy.x_sandbox_extra = 'ignore me';
  copy.__meta = { source: 'kspay-sandbox', nested: [1, 'two'] };
  return copy;
}
