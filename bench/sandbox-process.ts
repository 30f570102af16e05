/**
 * The sandbox alone in a process of its own, for the memory soak: prints its URL on
 * the first line and is driven through its /__sandbox/ control API. Stops on SIGTERM.
 */
import { startSandbox } from '../src/sandbox/server.js';

const sandbox = await startSandbox({ port: 0, host: '127.0.0.1' });
console.log(`sandbox at ${sandbox.url}`);
process.once('SIGTERM', () => void sandbox.close().finally(() => process.exit(0)));
