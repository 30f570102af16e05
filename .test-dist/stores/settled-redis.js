/** How long the shared level keeps a settled transaction after it was first seen. */
export const SETTLED_SHARED_TTL_MS = 7 * 24 * 3_600_000;
const SETTLED_TAG_COUNT = 16;
export function redisSettledStore(redis, prefix, appId, clustered) {
    const keyOf = (id) => (clustered ? `${prefix}settled:{${appId}:${bucketOf(id)}}:${id}` : `${prefix}settled:${appId}:${id}`);
    return {
        async get(ids) {
            const groups = clustered ? groupBy(ids, bucketOf) : new Map([[0, ids.map((id, index) => ({ id, index }))]]);
            const found = ids.map(() => null);
            await Promise.all([...groups.values()].map(async (group) => {
                const values = await redis.mget(group.map(({ id }) => keyOf(id)));
                group.forEach(({ index }, i) => (found[index] = values[i] ?? null));
            }));
            return found;
        },
        async set(entries) {
            await Promise.all(entries.map(([id, json]) => redis.set(keyOf(id), json, 'PX', SETTLED_SHARED_TTL_MS, 'NX')));
        },
    };
}
function bucketOf(id) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < id.length; i++)
        hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
    return (hash >>> 0) % SETTLED_TAG_COUNT;
}
function groupBy(ids, bucket) {
    const groups = new Map();
    ids.forEach((id, index) => {
        const key = bucket(id);
        groups.set(key, [...(groups.get(key) ?? []), { id, index }]);
    });
    return groups;
}
