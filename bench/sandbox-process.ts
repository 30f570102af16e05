/**
 * The sandbox alone in a process of its own, for the memory soak: prints its URL on
 * the first line and is driven through its /__sandbox/ control API. Stops on SIGTERM.
 */
import { EventEmitter } from 'node:events';
import { startSandbox } from '../src/sandbox/server.js';

// Every delayed answer waits on the sandbox's one shared AbortSignal: with added
// latency, hundreds at once are expected, not a leak (Node warns past 10 listeners).
EventEmitter.defaultMaxListeners = 10_000;

const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
console.log(`sandbox at ${sandbox.url}`);
process.once('SIGTERM', () => void sandbox.close().finally(() => process.exit(0)));
