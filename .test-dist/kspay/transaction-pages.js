export async function* listPages(client, { fromDate, toDate, pageSize, maxPages }) {
    for (let page = 1; page <= maxPages; page++) {
        const list = await client.transactions({ page, limit: pageSize, fromDate, toDate });
        // A bare array is everything; a short page, or one that reaches the total, is the last one.
        const last = list.page === null || list.items.length < pageSize || (list.total !== null && list.total <= page * pageSize);
        yield { items: list.items, last, total: list.total };
        if (last)
            return;
    }
}
