/**
 * The settlement watch list and the webhook outbox in this process: lost on restart
 * (use REDIS_URL to keep them). Every method runs synchronously inside the event loop,
 * which is what makes `append` atomic here.
 */
import { isLaterStatus } from '../webhooks/events.js';
/** Settled events kept for webhookDeliveries; pending ones are never dropped. */
const MAX_SETTLED_EVENTS = 10_000;
export function createMemoryWebhookStores() {
    return { watchList: new MemoryWatchList(), outbox: new MemoryOutbox() };
}
export class MemoryWatchList {
    #entries = new Map();
    async add(entry) {
        if (this.#entries.has(entry.id))
            return false;
        this.#entries.set(entry.id, { ...entry });
        return true;
    }
    async get(id) {
        const entry = this.#entries.get(id);
        return entry ? { ...entry } : null;
    }
    async due(now, limit) {
        const due = [...this.#entries.values()].filter((e) => e.nextPollAt <= now);
        return due
            .sort((a, b) => a.nextPollAt - b.nextPollAt)
            .slice(0, limit)
            .map((e) => ({ ...e }));
    }
    async update(entry) {
        if (this.#entries.has(entry.id))
            this.#entries.set(entry.id, { ...entry });
    }
    async remove(id) {
        this.#entries.delete(id);
    }
    async olderThan(before, limit) {
        const old = [...this.#entries.values()].filter((e) => e.since < before);
        return old
            .sort((a, b) => a.since - b.since)
            .slice(0, limit)
            .map((e) => ({ ...e }));
    }
    async size() {
        return this.#entries.size;
    }
}
export class MemoryOutbox {
    #seq = 0;
    #events = new Map();
    #deliveries = new Map();
    #lanes = new Map();
    /** The highest status rank each transaction has had an event for. */
    #ranks = new Map();
    async append(event, deliveries, rank) {
        if ((this.#ranks.get(event.transactionId) ?? 0) >= rank)
            return false;
        this.#ranks.set(event.transactionId, rank);
        this.#events.set(event.id, { seq: ++this.#seq, event });
        for (const delivery of deliveries) {
            this.#deliveries.set(delivery.id, { ...delivery });
            this.#enqueue(delivery);
        }
        this.#forgetOldSettled();
        return true;
    }
    /** A lane is due when its head is, or when a retried head has a later status waiting behind it. */
    async dueLanes(now, limit) {
        const due = [];
        for (const [lane, queue] of this.#lanes) {
            const head = this.#deliveries.get(queue[0]);
            if (head && ((head.nextAttemptAt ?? 0) <= now || (head.attempts > 0 && this.#newerQueued(queue))))
                due.push(lane);
            if (due.length >= limit)
                break;
        }
        return due;
    }
    async backlog() {
        let lanes = 0;
        let oldestCreatedAt = null;
        for (const queue of this.#lanes.values()) {
            const head = queue.length ? this.#deliveries.get(queue[0]) : undefined;
            const event = head?.state === 'PENDING' ? this.#events.get(head.eventId)?.event : undefined;
            if (!event)
                continue;
            lanes += 1;
            const createdAt = Date.parse(event.createdAt);
            if (oldestCreatedAt === null || createdAt < oldestCreatedAt)
                oldestCreatedAt = createdAt;
        }
        return { lanes, oldestCreatedAt };
    }
    async head(lane) {
        const queue = this.#lanes.get(lane) ?? [];
        const delivery = queue.length ? this.#deliveries.get(queue[0]) : undefined;
        const event = delivery ? this.#events.get(delivery.eventId)?.event : undefined;
        if (!delivery || !event) {
            this.#lanes.delete(lane);
            return null;
        }
        return { event, delivery: { ...delivery }, queued: queue.length, newerQueued: this.#newerQueued(queue) };
    }
    async record(delivery, done) {
        this.#deliveries.set(delivery.id, { ...delivery });
        if (!done)
            return;
        const queue = this.#lanes.get(delivery.lane);
        if (queue?.[0] === delivery.id)
            queue.shift();
        if (queue?.length === 0)
            this.#lanes.delete(delivery.lane);
    }
    async find(eventId) {
        const found = this.#events.get(eventId);
        return found ? this.#withDeliveries(found.seq, found.event) : null;
    }
    async list({ limit, beforeSeq, transactionId }) {
        const page = [];
        for (const { seq, event } of [...this.#events.values()].reverse()) {
            if (beforeSeq !== undefined && seq >= beforeSeq)
                continue;
            if (transactionId && event.transactionId !== transactionId)
                continue;
            page.push(this.#withDeliveries(seq, event));
            if (page.length >= limit)
                break;
        }
        return page;
    }
    async redeliver(eventId, now) {
        const found = this.#events.get(eventId);
        if (!found)
            return false;
        for (const id of found.event.deliveryIds) {
            const delivery = this.#deliveries.get(id);
            if (!delivery)
                continue;
            const wasQueued = delivery.state === 'PENDING';
            Object.assign(delivery, { state: 'PENDING', nextAttemptAt: now });
            if (!wasQueued)
                this.#enqueue(delivery);
        }
        return true;
    }
    async undeliveredFinal(limit) {
        const found = [];
        for (const { event } of this.#events.values()) {
            if (event.status !== 'SUCCESS' && event.status !== 'FAILED')
                continue;
            for (const id of event.deliveryIds) {
                const delivery = this.#deliveries.get(id);
                if (delivery && delivery.state !== 'DELIVERED')
                    found.push({ ...delivery });
            }
            if (found.length >= limit)
                break;
        }
        return found.slice(0, limit);
    }
    #newerQueued(queue) {
        const statusOf = (id) => {
            const delivery = this.#deliveries.get(id);
            return (delivery && this.#events.get(delivery.eventId)?.event.status) ?? 'UNKNOWN';
        };
        const first = statusOf(queue[0]);
        return queue.slice(1).some((id) => isLaterStatus(statusOf(id), first));
    }
    #enqueue(delivery) {
        const queue = this.#lanes.get(delivery.lane) ?? [];
        queue.push(delivery.id);
        this.#lanes.set(delivery.lane, queue);
    }
    #withDeliveries(seq, event) {
        const deliveries = event.deliveryIds.flatMap((id) => {
            const delivery = this.#deliveries.get(id);
            return delivery ? [{ ...delivery }] : [];
        });
        return { seq, event, deliveries };
    }
    /** Keeps the log bounded: the oldest events whose deliveries are all settled go first. */
    #forgetOldSettled() {
        let excess = this.#events.size - MAX_SETTLED_EVENTS;
        for (const [id, { event }] of this.#events) {
            if (excess <= 0)
                return;
            const settled = event.deliveryIds.every((d) => this.#deliveries.get(d)?.state !== 'PENDING');
            if (!settled)
                continue;
            event.deliveryIds.forEach((d) => this.#deliveries.delete(d));
            this.#events.delete(id);
            excess -= 1;
        }
    }
}
