/** The one generator of referenceNumbers for the tests, to the gateway or straight to the sandbox. */
let issued = 0;

/** A referenceNumber unique to this test run: the prefix, the process, the time and a counter. */
export function newReference(prefix = 'order'): string {
  issued += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${issued}`;
}
