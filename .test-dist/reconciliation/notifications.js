const PAGE_SIZE = 200;
/** Events one transaction can have: one per status. */
const EVENTS_PER_TRANSACTION = 4;
/** Instances' clocks may differ this much: the walk goes this far before the window's start. */
const CLOCK_MARGIN_MS = 60_000;
export async function eventsByTransaction(outbox, finals, fromMs) {
    const found = new Map(finals.map((tx) => [tx.id, []]));
    const maxPages = Math.ceil((EVENTS_PER_TRANSACTION * finals.length) / PAGE_SIZE) + 1;
    let beforeSeq;
    for (let page = 0; page < maxPages && finals.length > 0; page++) {
        const events = await outbox.list({ limit: PAGE_SIZE, beforeSeq });
        for (const event of events)
            found.get(event.event.transactionId)?.push(event);
        const last = events.at(-1);
        if (!last || events.length < PAGE_SIZE || Date.parse(last.event.createdAt) < fromMs - CLOCK_MARGIN_MS)
            break;
        beforeSeq = last.seq;
    }
    const unseen = finals.filter((tx) => !found.get(tx.id).some((event) => event.event.status === tx.status));
    for (const tx of unseen)
        found.set(tx.id, await outbox.list({ limit: 10, transactionId: tx.id }));
    return found;
}
