/** Importing the domain files registers their types on the builder. */
import { builder } from './builder.js';
import './error-types.js';
import './currency.js';
import './payment-method.js';
import './transaction.js';
import './payment.js';
import './payment-return.js';
import './subscription.js';
import './webhooks.js';
import './reconciliation.js';
import './node.js';
export const schema = builder.toSchema({ sortSchema: true });
