/**
 * Loaded (`--import`) into the compared gateway, an earlier commit's src/main.ts that knows
 * nothing of the benchmark (bench/compared-gateway.ts): it answers the parent's memory
 * question over the IPC channel, as bench/serve.ts does, and stops the gateway when the
 * benchmark has gone (even killed), as SIGTERM would in production.
 */
import type { ControlReply, ControlRequest } from './children.js';

function answer(request: ControlRequest): ControlReply {
  return request.type === 'memory' ? { memory: process.memoryUsage() } : { error: `the compared gateway does not answer ${JSON.stringify(request.type)}` };
}

if (process.send) {
  process.on('message', (message: { id: number; request: ControlRequest }) => {
    process.send!({ id: message.id, reply: answer(message.request) });
  });
  // Its own shutdown (src/main.ts drains on SIGTERM): never outlive the benchmark.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
