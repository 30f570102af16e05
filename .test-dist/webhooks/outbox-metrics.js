/**
 * The webhook outbox as Prometheus sees it: each delivery attempt's outcome, counted where
 * it happens, and the backlog (lanes waiting, age of the oldest waiting event), read from
 * the outbox at scrape time (so every instance reports the shared Redis outbox alike).
 */
import { Counter, Gauge } from 'prom-client';
/** Lanes whose head's age is looked at per scrape: the ones due soonest. */
const AGE_SAMPLE_LANES = 200;
/** One outbox read serves every gauge of one scrape. */
const BACKLOG_READ_TTL_MS = 1_000;
export function outboxMetrics(registry, outbox) {
    const registers = [registry];
    let last = null;
    const backlog = () => {
        const now = Date.now();
        if (!last || now - last.at > BACKLOG_READ_TTL_MS)
            last = { at: now, read: outbox.backlog(AGE_SAMPLE_LANES) };
        return last.read;
    };
    new Gauge({
        name: 'kspay_gateway_webhook_backlog_lanes',
        help: 'Webhook lanes (one per transaction and endpoint) with a delivery waiting',
        registers,
        async collect() {
            this.set((await backlog()).lanes);
        },
    });
    new Gauge({
        name: 'kspay_gateway_webhook_backlog_oldest_age_seconds',
        help: `Age of the oldest event waiting for delivery (among the ${AGE_SAMPLE_LANES} lanes due soonest); 0 when none waits`,
        registers,
        async collect() {
            const { oldestCreatedAt } = await backlog();
            this.set(oldestCreatedAt === null ? 0 : Math.max(0, (Date.now() - oldestCreatedAt) / 1000));
        },
    });
    return new Counter({
        name: 'kspay_gateway_webhook_delivery_attempts_total',
        help: 'Webhook delivery attempts by outcome: delivered, retrying (failed, tried again later), given_up, superseded (a later status replaced it)',
        labelNames: ['outcome'],
        registers,
    });
}
