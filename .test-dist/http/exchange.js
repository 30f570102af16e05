/** The stages as one handler, each one's `next` bound once, here (no closure per request). */
export function pipeline(stages) {
    return stages.reduceRight((next, stage) => (exchange) => stage(exchange, next), () => {
        throw new Error('the last stage of a pipeline must answer');
    });
}
