/** Amounts stay decimal text from the input to the gateway: never a float. */

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Why `text` is not a payable amount in a currency with `decimalPlaces`, or null when it is. */
export function amountProblem(text: string, decimalPlaces: number | null): string | null {
  const match = DECIMAL.exec(text);
  if (!match) return text === '' ? 'Enter an amount.' : 'Enter the amount as digits, with a point for decimals, e.g. 345.67.';
  const fraction = match[2] ?? '';
  if (decimalPlaces !== null && fraction.length > decimalPlaces) {
    return decimalPlaces === 0 ? 'This currency has no decimal places.' : `At most ${decimalPlaces} decimal places.`;
  }
  if (/^0*$/.test(match[1]!) && /^0*$/.test(fraction)) return 'The amount must be greater than zero.';
  return null;
}

/** An example amount with the currency's decimal places, for the placeholder. */
export function sampleAmount(decimalPlaces: number | null): string {
  if (decimalPlaces === 0) return '345';
  if (decimalPlaces !== null && decimalPlaces > 2) return `0.${'0'.repeat(decimalPlaces - 1)}5`;
  return '345.67';
}

/**
 * `text` shown with the currency's decimal places: 12.5 in USD is "12.50", 345.00 in a
 * currency without decimals "345". Exact, on the digits; an amount that would need
 * rounding, or text that is not a plain decimal, is shown as given.
 */
export function formatAmount(text: string, decimalPlaces: number | null | undefined): string {
  const match = /^(-?\d+)(?:\.(\d+))?$/.exec(text);
  if (!match || decimalPlaces == null || !Number.isInteger(decimalPlaces) || decimalPlaces < 0) return text;
  const [, whole = '', fraction = ''] = match;
  const kept = fraction.slice(0, decimalPlaces);
  if (/[^0]/.test(fraction.slice(decimalPlaces))) return text;
  const digits = kept.padEnd(decimalPlaces, '0');
  return digits ? `${whole}.${digits}` : whole;
}
