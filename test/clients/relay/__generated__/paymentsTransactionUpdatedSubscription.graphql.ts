/**
 * @generated SignedSource<<c6a3837febf7127e3e56bd1194b52a5e>>
 * @lightSyntaxTransform
 * @codegen-command: cd test/clients/relay && npx relay-compiler
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import type { ConcreteRequest } from 'relay-runtime';
import type { FragmentRefs } from "relay-runtime";
export type paymentsTransactionUpdatedSubscription$variables = {
  id: string;
};
export type paymentsTransactionUpdatedSubscription$data = {
  readonly transactionUpdated: {
    readonly " $fragmentSpreads": FragmentRefs<"payments_transaction">;
  };
};
export type paymentsTransactionUpdatedSubscription = {
  response: paymentsTransactionUpdatedSubscription$data;
  variables: paymentsTransactionUpdatedSubscription$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "id",
    "variableName": "id"
  }
],
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "paymentsTransactionUpdatedSubscription",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "Transaction",
        "kind": "LinkedField",
        "name": "transactionUpdated",
        "plural": false,
        "selections": [
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "payments_transaction"
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Subscription",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "paymentsTransactionUpdatedSubscription",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "Transaction",
        "kind": "LinkedField",
        "name": "transactionUpdated",
        "plural": false,
        "selections": [
          (v2/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "status",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "amount",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "referenceNumber",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "Currency",
            "kind": "LinkedField",
            "name": "currency",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "code",
                "storageKey": null
              }
            ],
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "PaymentMethod",
            "kind": "LinkedField",
            "name": "paymentMethod",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "name",
                "storageKey": null
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "ed4ccbf9304665b5a02f24f9684a78d3",
    "id": null,
    "metadata": {},
    "name": "paymentsTransactionUpdatedSubscription",
    "operationKind": "subscription",
    "text": "subscription paymentsTransactionUpdatedSubscription(\n  $id: ID!\n) {\n  transactionUpdated(id: $id) {\n    ...payments_transaction\n    id\n  }\n}\n\nfragment payments_transaction on Transaction {\n  id\n  status\n  amount\n  referenceNumber\n  currency {\n    id\n    code\n  }\n  paymentMethod {\n    id\n    name\n  }\n}\n"
  }
};
})();

(node as any).hash = "25032fa79a20764a59b147a21f473369";

export default node;
