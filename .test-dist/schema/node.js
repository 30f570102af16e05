/**
 * Relay's Node: `node(id:)` and `nodes(ids:)` over the KS Pay ids (./node-ids.ts). Each
 * type keeps the scope of its own query field, checked before anything is loaded; loads go
 * through the request's DataLoaders, so `nodes` batches like aliases of `transaction`,
 * `currency` and the catalog do. A malformed id is VALIDATION with no upstream call; a
 * well-formed one KS Pay does not know is null.
 */
import { ValidationError } from '../errors/gateway-errors.js';
import { builder, forbidden } from './builder.js';
import { NODE_ID_SHAPE, nodeTypeOf } from './node-ids.js';
/** Ids one `nodes` may ask for: as many as a page of transactions. */
const MAX_NODES = 100;
const LOAD = {
    Transaction: (loaders, id) => loaders.transaction.load(id),
    Currency: (loaders, id) => loaders.currency.load(id),
    PaymentMethod: (loaders, id) => loaders.paymentMethod.load(id),
};
function parseNodeId(field, raw) {
    const id = String(raw);
    const type = nodeTypeOf(id);
    if (!type)
        throw new ValidationError(field, `${field} must be a KS Pay id: ${NODE_ID_SHAPE}`);
    return { id, type };
}
async function loadNode({ id, type }, { caller, loaders }) {
    if (!caller.can(type.scope))
        throw forbidden(`This API key may not read ${type.typename}`);
    const node = await LOAD[type.typename](loaders, id);
    // Relay files a node under the id it asked for: an answer about another id is no answer.
    return node?.id === id ? node : null;
}
const NodeRef = builder.nodeInterfaceRef();
builder.queryFields((t) => ({
    node: t.field({
        type: NodeRef,
        nullable: true,
        description: 'The transaction (tx_…), currency (c_…) or payment method (pm_…) with this id, with the scope its own field asks for; null when KS Pay has none.',
        args: { id: t.arg.id({ required: true }) },
        resolve: (_root, { id }, context) => loadNode(parseNodeId('id', id), context),
    }),
    nodes: t.field({
        type: [NodeRef],
        nullable: { list: false, items: true },
        description: `Up to ${MAX_NODES} nodes by id, in order; each is null (with an error when its scope is missing) or the node.`,
        args: { ids: t.arg.idList({ required: true }) },
        resolve: (_root, { ids }, context) => {
            if (ids.length > MAX_NODES)
                throw new ValidationError('ids', `ids may hold at most ${MAX_NODES} ids`);
            // Every id is checked before anything loads; then each node succeeds or fails alone. The
            // loads start together (one DataLoader batch); a failure is an Error value in the settled
            // list, which both executors place at its index (graphql-jit drops a trailing item whose
            // promise rejects while an earlier one is pending).
            const parsed = ids.map((id, index) => parseNodeId(`ids[${index}]`, id));
            return Promise.all(parsed.map((node) => loadNode(node, context).catch((error) => error)));
        },
    }),
}));
