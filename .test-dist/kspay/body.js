/**
 * Reading a KS Pay body without trusting its size. A Content-Length over the cap is
 * refused before a byte is read; any other body is read chunk by chunk and dropped as
 * soon as it passes the cap. Either way an exchange holds at most the cap in memory,
 * whatever the server sends (decoded bytes are counted, so a gzip bomb stops too).
 */
/** KSPAY_MAX_RESPONSE_BYTES by default: far above any answer the contract describes. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
export class ResponseTooLarge extends Error {
    maxBytes;
    status;
    name = 'ResponseTooLarge';
    /** `status`: the answer's HTTP status, when the exchange that refused it knows it. */
    constructor(maxBytes, status) {
        super(`the body is larger than ${maxBytes} bytes`);
        this.maxBytes = maxBytes;
        this.status = status;
    }
}
/**
 * The body as text, or ResponseTooLarge once it passes `maxBytes`; the body is
 * cancelled then, so the caller only needs to drop the connection.
 */
export async function readCappedText(response, maxBytes) {
    const declared = response.headers.get('content-length');
    if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw new ResponseTooLarge(maxBytes);
    }
    if (response.body === null)
        return '';
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        size += value.byteLength;
        if (size > maxBytes) {
            await reader.cancel().catch(() => undefined);
            throw new ResponseTooLarge(maxBytes);
        }
        chunks.push(value);
    }
    // TextDecoder, like response.text(): UTF-8, a leading BOM dropped.
    return new TextDecoder().decode(Buffer.concat(chunks, size));
}
