/**
 * What one GraphQL operation did, gathered while it runs: the request id, the upstream
 * calls it caused, and the error codes it returned. AsyncLocalStorage carries it through
 * resolvers, loaders and the KS Pay client without threading it through every call.
 *
 * The storage is on only while an operation executes. An enabled AsyncLocalStorage makes
 * node run a hook for every async resource and promise the process creates, the response
 * cache's hits included (about a tenth of a hit's cost, measured on Node 20); once the last
 * running operation settles it is disabled, and the next operation's `run` enables it again.
 * Stats are seen only while an operation runs with them: work a settled operation left behind
 * (a timer) sees none. On Node 24 AsyncLocalStorage rides AsyncContextFrame (no hooks), and
 * `disable()` no longer hides the stats from such work, so their running count does.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
const storage = new AsyncLocalStorage();
let running = 0;
/** Operations running now with each stats record. */
const runs = new WeakMap();
function settled(stats) {
    runs.set(stats, runs.get(stats) - 1);
    if (--running === 0)
        storage.disable();
}
/** Runs `work` (an operation's execution) in `stats`, until what it returns has settled. */
export function runWithStats(stats, work) {
    running += 1;
    runs.set(stats, (runs.get(stats) ?? 0) + 1);
    const done = () => settled(stats);
    let result;
    try {
        result = storage.run(stats, work);
    }
    catch (error) {
        done();
        throw error;
    }
    // envelop may hand back any thenable, not only a native Promise.
    if (isThenable(result))
        result.then(done, done);
    else
        done();
    return result;
}
function isThenable(value) {
    return typeof value?.then === 'function';
}
/** The stats of the operation running now, if any. */
export function currentStats() {
    const stats = storage.getStore();
    return stats && runs.get(stats) ? stats : undefined;
}
