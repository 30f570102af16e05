/**
 * Relay's global ids are KS Pay's own ids: globally unique, and their prefix names the
 * type (docs/kspay-api.md, "Identifiers"). Nothing is encoded, so the id a client reads on
 * a Transaction, Currency or PaymentMethod is the one it passes to node(id:).
 */
import type { Scope } from '../config.js';
import { ID_LENGTH, ID_PREFIX, isWellFormedId, type IdKind } from '../kspay/types.js';

/** The types that implement Node, with the scope their own query fields ask for. */
export const NODE_TYPES = [
  { typename: 'Transaction', kind: 'transaction', scope: 'transactions:read' },
  { typename: 'Currency', kind: 'currency', scope: 'catalog:read' },
  { typename: 'PaymentMethod', kind: 'paymentMethod', scope: 'catalog:read' },
] as const satisfies readonly { typename: string; kind: IdKind; scope: Scope }[];

export type NodeType = (typeof NODE_TYPES)[number];

/** The Node type a well-formed id names; null for anything else. */
export function nodeTypeOf(id: string): NodeType | null {
  return NODE_TYPES.find((type) => isWellFormedId(type.kind, id)) ?? null;
}

/** Node's resolveType: the type of a node is the prefix of its id. */
export function nodeTypename(value: unknown): string | undefined {
  const id = (value as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? nodeTypeOf(id)?.typename : undefined;
}

export const NODE_ID_SHAPE = `${NODE_TYPES.map((t) => `'${ID_PREFIX[t.kind]}'`).join(', ')} followed by letters and digits, ${ID_LENGTH} characters in all`;
