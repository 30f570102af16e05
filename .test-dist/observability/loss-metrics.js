/**
 * What a forgetting idempotency store costs, for dashboards and alerts: losses detected,
 * look-ups made because of them, and the KS Pay list pages those look-ups read.
 */
import { Counter, Gauge } from 'prom-client';
export function createLossMetrics(metrics, windowOpen) {
    const registers = [metrics.registry];
    new Gauge({
        name: 'kspay_gateway_idempotency_loss_window_open',
        help: '1 while new references are looked up in KS Pay before sending, because the idempotency store lost data',
        registers,
        collect() {
            this.set(windowOpen() ? 1 : 0);
        },
    });
    return {
        detected: new Counter({
            name: 'kspay_gateway_idempotency_store_losses_total',
            help: 'Idempotency store data losses detected, by cause (marker-missing, marker-changed, restarted)',
            labelNames: ['cause'],
            registers,
        }),
        lookups: new Counter({
            name: 'kspay_gateway_idempotency_loss_lookups_total',
            help: 'References looked up in KS Pay before sending after a data loss, by result (found, not-found, failed)',
            labelNames: ['result'],
            registers,
        }),
        listPages: new Counter({
            name: 'kspay_gateway_idempotency_loss_list_pages_total',
            help: 'KS Pay transaction list pages read to index references after a data loss',
            registers,
        }),
    };
}
