/**
 * Lua scripts run by SHA: each is defined once per client (ioredis `defineCommand`), which
 * sends EVALSHA and falls back to EVAL when a server answers NOSCRIPT (a restart, a
 * failover, a new cluster node), so the script text crosses the wire only then.
 */
import { createHash } from 'node:crypto';
/** The command name a script is defined under on `redis` (defined on first use). */
export function scriptCommand(redis, lua) {
    const name = `kspay_${createHash('sha1').update(lua).digest('hex').slice(0, 16)}`;
    if (typeof redis[name] !== 'function')
        redis.defineCommand(name, { lua });
    return name;
}
/** EVAL's arguments, run by SHA. */
export function evalBySha(redis, lua, numberOfKeys, ...keysThenArgs) {
    const run = redis[scriptCommand(redis, lua)];
    return run.call(redis, numberOfKeys, ...keysThenArgs);
}
