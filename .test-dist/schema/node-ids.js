import { ID_LENGTH, ID_PREFIX, isWellFormedId } from '../kspay/types.js';
/** The types that implement Node, with the scope their own query fields ask for. */
export const NODE_TYPES = [
    { typename: 'Transaction', kind: 'transaction', scope: 'transactions:read' },
    { typename: 'Currency', kind: 'currency', scope: 'catalog:read' },
    { typename: 'PaymentMethod', kind: 'paymentMethod', scope: 'catalog:read' },
];
/** The Node type a well-formed id names; null for anything else. */
export function nodeTypeOf(id) {
    return NODE_TYPES.find((type) => isWellFormedId(type.kind, id)) ?? null;
}
/** Node's resolveType: the type of a node is the prefix of its id. */
export function nodeTypename(value) {
    const id = value?.id;
    return typeof id === 'string' ? nodeTypeOf(id)?.typename : undefined;
}
export const NODE_ID_SHAPE = `${NODE_TYPES.map((t) => `'${ID_PREFIX[t.kind]}'`).join(', ')} followed by letters and digits, ${ID_LENGTH} characters in all`;
