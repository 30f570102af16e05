/**
 * What the client hands to the rest of the gateway: the wire shapes read tolerantly
 * and normalised. Amounts are exact decimals; optional wire fields become null.
 */
import type { Decimal } from './money.js';
import type { WireCurrencyType, WireOrder } from './types.js';

export interface Currency {
  id: string;
  code: string;
  name: string;
  symbol: string;
  type: WireCurrencyType;
  isActive: boolean;
  createdAt: string | null;
  /** Present only when the server says; the upstream enforces places either way. */
  decimalPlaces: number | null;
}

export interface PaymentMethod {
  id: string;
  name: string;
  isActive: boolean;
}

export type TransactionStatus = 'INITIATED' | 'PROCESSING' | 'SUCCESS' | 'FAILED' | 'UNKNOWN';

/** A transaction in a final status never changes again: watchers, polls and webhooks stop there. */
export const isFinalStatus = (status: string): boolean => status === 'SUCCESS' || status === 'FAILED';

export interface Transaction {
  id: string;
  referenceNumber: string | null;
  amount: Decimal;
  currencyCode: string | null;
  currencyId: string | null;
  paymentMethodId: string | null;
  status: TransactionStatus;
  providerOrderId: string | null;
  providerPaymentId: string | null;
  redirectUrl: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  /** Not in the documented body; read when a server includes it (lets a lost initiate be adopted). */
  signature?: string | null;
}

export interface InitiateTransactionArgs {
  currencyId: string;
  paymentMethodId: string;
  amount: Decimal;
  referenceNumber: string;
  redirectUrl: string;
}

/** Initiate's result: `signature` always; the rest only when the server sent the full shape. */
export interface InitiatedTransaction {
  signature: string;
  transactionId: string | null;
  providerOrderId: string | null;
  amount: Decimal | null;
  currencyCode: string | null;
}

export interface ProcessedTransaction {
  order: WireOrder;
  /** Well-known fields of the opaque order, where present. */
  providerOrderId: string | null;
  amount: Decimal | null;
  currencyCode: string | null;
  checkoutUrl: string | null;
}

export interface TransactionListArgs {
  page?: number;
  limit?: number;
  fromDate?: string;
  toDate?: string;
}

export interface TransactionList {
  items: Transaction[];
  /** Null when the server returned a bare array (everything, unpaged). */
  page: number | null;
  limit: number | null;
  total: number | null;
}
