/**
 * The bounds of one reconciliation report, checked before any upstream call: a window in the
 * past, no longer than RECONCILIATION_MAX_WINDOW_MS, and no older than the records the gateway
 * keeps (IDEMPOTENCY_TTL_MS: an older window could not say what the merchant asked). The row
 * cap (RECONCILIATION_MAX_ROWS) is checked on KS Pay's first page (./report.ts).
 */
import { GatewayError, ValidationError } from '../errors/gateway-errors.js';
/** A report past one of its caps: `setting` names the variable, `limit` its value. */
export class ReportTooLargeError extends GatewayError {
    setting;
    limit;
    code = 'REPORT_TOO_LARGE';
    upstreamCode = null;
    constructor(message, setting, limit) {
        super(message);
        this.setting = setting;
        this.limit = limit;
        this.name = 'ReportTooLargeError';
    }
    publicFields() {
        return { setting: this.setting, limit: this.limit };
    }
}
export function checkWindow(from, to, limits, now = Date.now()) {
    if (from.getTime() > now)
        throw new ValidationError('from', 'from may not be in the future');
    if (from.getTime() > to.getTime())
        throw new ValidationError('from', 'from must not be after to');
    const end = new Date(Math.min(to.getTime(), now));
    const lengthMs = end.getTime() - from.getTime();
    if (lengthMs > limits.maxWindowMs) {
        throw new ReportTooLargeError(`The window from–to covers ${hours(lengthMs)}; a report covers at most ${hours(limits.maxWindowMs)} ` +
            '(RECONCILIATION_MAX_WINDOW_MS): ask for shorter windows one after another', 'RECONCILIATION_MAX_WINDOW_MS', limits.maxWindowMs);
    }
    const oldest = now - limits.recordsKeptMs;
    if (from.getTime() < oldest) {
        throw new ReportTooLargeError(`from is before ${new Date(oldest).toISOString()}: the gateway keeps what the merchant asked for ${hours(limits.recordsKeptMs)} ` +
            '(IDEMPOTENCY_TTL_MS), so an older window cannot be reconciled; choose a later from', 'IDEMPOTENCY_TTL_MS', limits.recordsKeptMs);
    }
    return { from, to: end };
}
export function tooManyRows(limits, found) {
    const count = found ?? `more than ${limits.maxRows}`;
    return new ReportTooLargeError(`The window holds ${count} transactions or records; a report reads at most ${limits.maxRows} (RECONCILIATION_MAX_ROWS): ask for a shorter window`, 'RECONCILIATION_MAX_ROWS', limits.maxRows);
}
function hours(ms) {
    const value = ms / 3_600_000;
    return `${Number.isInteger(value) ? value : value.toFixed(2)} hours`;
}
