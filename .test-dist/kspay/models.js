/** A transaction in a final status never changes again: watchers, polls and webhooks stop there. */
export const isFinalStatus = (status) => status === 'SUCCESS' || status === 'FAILED';
