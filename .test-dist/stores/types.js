/** The in-process store holds as many live records as it may: a new reference must wait. */
export class IdempotencyStoreFullError extends Error {
    capacity;
    constructor(capacity) {
        super(`the in-process idempotency store holds its maximum of ${capacity} live records`);
        this.capacity = capacity;
        this.name = 'IdempotencyStoreFullError';
    }
}
