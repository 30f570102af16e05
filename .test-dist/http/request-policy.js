import { createSchemaHintFilter } from '../plugins/use-no-schema-hints.js';
import { isDocumentTooLarge } from '../plugins/use-document-size-limit.js';
import { createDocumentResolver, loadTrustedDocuments } from '../plugins/use-persisted-documents.js';
import { schema } from '../schema/index.js';
import { createAuthenticator } from './auth.js';
export function createRequestPolicy(config, apq) {
    const persisted = persistedDocuments(config.documents, apq);
    return {
        authenticate: createAuthenticator(config.auth.apiKeys),
        persisted,
        resolveDocument: createDocumentResolver(persisted, 'http'),
        resolveWebSocketDocument: createDocumentResolver(persisted, 'websocket'),
        limits: config.limits,
        schemaHints: config.documents.introspection ? undefined : createSchemaHintFilter(schema),
    };
}
/** The persisted-document rules of the configuration; the manifests are read here, once. */
function persistedDocuments(config, apq) {
    const mode = config.persistedOperations;
    return { mode, trusted: mode === 'off' ? new Map() : loadTrustedDocuments(config.trustedDocuments), apq };
}
/**
 * The HTTP resolution of one request's parameters, settled: the document it runs, or the
 * refusal yoga will answer. Null when there is nothing to resolve here (a batch, a body that
 * is not an object, a document over MAX_DOCUMENT_BYTES: yoga's plugins answer those, the size
 * limit before anything hashes the text). `done` is called in the same tick unless the APQ
 * store must be asked.
 */
export function resolveHttpDocument(policy, params, done) {
    if (typeof params !== 'object' || params === null || Array.isArray(params))
        return done(null);
    if (isDocumentTooLarge(params.query, policy.limits.maxDocumentBytes))
        return done(null);
    let resolved;
    try {
        resolved = policy.resolveDocument(params);
    }
    catch (refused) {
        return done({ refused });
    }
    if (!(resolved instanceof Promise))
        return done({ document: resolved });
    resolved.then((document) => done({ document }), (refused) => done({ refused }));
}
