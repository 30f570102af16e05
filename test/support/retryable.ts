/**
 * What a client is told to do with a retryable answer (UpstreamUnavailableError, retryable:
 * true): wait (its retryAfterMs, or a short while) and send the same request again, a few
 * times at most. For the helpers whose test is not about availability: on a starved machine
 * a store command can outlast its timeout. A non-retryable answer comes back at once.
 */
import { isRetryable, type Answer } from './payment-answers.js';

const ATTEMPTS = 5;
const WAIT_MS = 250;

export async function retryingRetryable<T extends Answer>(send: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const answer = await send();
    if (!answer || !isRetryable(answer) || attempt >= ATTEMPTS) return answer;
    await new Promise((resolve) => setTimeout(resolve, answer.retryAfterMs ?? WAIT_MS));
  }
}
