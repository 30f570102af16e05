import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ValidationError, GatewayError } from '../errors/gateway-errors.js';
import { errorBody, statusOf } from '../errors/registry.js';
import { csvLines } from '../reconciliation/csv.js';
import { REFUSAL_MESSAGES } from './auth.js';
import { failed } from './request-io.js';
export const RECONCILIATION_CSV_PATH = '/reports/reconciliation.csv';
/** The status each error of the report comes with on this route (a GraphQL field answers them all 200). */
const STATUS = { VALIDATION: 400, REPORT_TOO_LARGE: 422, UPSTREAM_REJECTED: 502, UPSTREAM_UNAVAILABLE: 503 };
export function createReconciliationCsv({ authenticate, reconciliation, logger }) {
    return (req, res, requestId, refuse) => {
        if (req.method !== 'GET') {
            const body = errorBody('BAD_REQUEST', 'Use GET');
            return void res.writeHead(statusOf('BAD_REQUEST', 405), jsonHeaders(body, { allow: 'GET' })).end(body);
        }
        if (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')
            return refuse('body-on-get');
        if (req.headers['transfer-encoding'] !== undefined)
            return refuse('body-on-get');
        const caller = authenticate(req.headers, req.socket);
        if (typeof caller === 'string')
            return refuse('unauthenticated', REFUSAL_MESSAGES[caller]);
        if (!caller.can('transactions:read'))
            return answerError(res, 'FORBIDDEN', 'This API key may not read reports (it needs transactions:read)');
        let from;
        let to;
        try {
            const query = new URLSearchParams(req.url?.split('?')[1] ?? '');
            from = dateParameter(query, 'from');
            to = dateParameter(query, 'to');
        }
        catch (error) {
            return answerError(res, 'VALIDATION', error.message);
        }
        reconciliation.report(from, to).then((report) => {
            const filename = `reconciliation-${stamp(report.from)}-${stamp(report.to)}.csv`;
            res.writeHead(200, {
                'content-type': 'text/csv; charset=utf-8; header=present',
                'content-disposition': `attachment; filename="${filename}"`,
                'cache-control': 'no-store',
            });
            logger.info({ requestId, rows: report.rows.length, discrepancies: report.discrepancies.length }, 'reconciliation CSV');
            pipeline(Readable.from(csvLines(report)), res).catch((error) => logger.warn({ requestId, err: error }, 'reconciliation CSV cut short'));
        }, (error) => {
            if (error instanceof GatewayError)
                return answerError(res, error.code, error.message);
            failed(res, logger, requestId, error, 'reconciliation report failed');
        });
    };
}
/** An ISO-8601 date-time, as the GraphQL DateTime scalar takes it; required. */
function dateParameter(query, name) {
    const raw = query.get(name);
    if (!raw)
        throw new ValidationError(name, `${name} is required: an ISO-8601 date-time such as 2026-01-31T00:00:00Z`);
    const date = new Date(raw);
    if (!/^\d{4}-\d{2}-\d{2}/.test(raw) || Number.isNaN(date.getTime())) {
        throw new ValidationError(name, `${name} must be an ISO-8601 date-time such as 2026-01-31T00:00:00Z`);
    }
    return date;
}
function answerError(res, code, message) {
    const body = errorBody(code, message);
    res.writeHead(statusOf(code, STATUS[code] ?? (code === 'FORBIDDEN' ? 403 : undefined)), jsonHeaders(body)).end(body);
}
function jsonHeaders(body, extra = {}) {
    return { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...extra };
}
/** 2026-01-31T00:00:00.000Z → 20260131T000000Z: a file name with no colon. */
function stamp(date) {
    return date.toISOString().replace(/[-:]|\.\d{3}/g, '');
}
