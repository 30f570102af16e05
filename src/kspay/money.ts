/**
 * Exact decimal money. An amount is kept as its canonical decimal text ("345.67") and,
 * when arithmetic or comparison is needed, as a BigInt of minor units at a given scale.
 * No float ever holds an amount inside the gateway; the JSON number the upstream wants
 * is written straight from the text (see `toWireNumberLiteral`).
 */

const DECIMAL = /^(?<sign>-?)(?<int>\d+)(?:\.(?<frac>\d+))?$/;

export type MoneyParseError = 'NOT_A_DECIMAL' | 'NOT_POSITIVE' | 'TOO_MANY_PLACES';

export interface Decimal {
  /** Canonical text: no leading zeros, no trailing fractional zeros, no exponent. */
  readonly text: string;
  /** Count of fractional digits in `text`. */
  readonly places: number;
}

/** Parses a decimal string or integer into canonical form; null when it is not a plain decimal. */
export function parseDecimal(input: string | number | bigint): Decimal | null {
  let raw: string;
  if (typeof input === 'bigint') raw = input.toString();
  else if (typeof input === 'number') {
    // Integers are exact; a fractional JS number is accepted only from the wire (see fromWireNumber).
    if (!Number.isSafeInteger(input)) return null;
    raw = String(input);
  } else raw = input.trim();

  const match = DECIMAL.exec(raw);
  if (!match?.groups) return null;
  const { sign, int, frac = '' } = match.groups;
  const intPart = int.replace(/^0+(?=\d)/, '');
  const fracPart = frac.replace(/0+$/, '');
  const isZero = /^0*$/.test(intPart + fracPart);
  const text = `${sign && !isZero ? '-' : ''}${intPart}${fracPart ? `.${fracPart}` : ''}`;
  return { text, places: fracPart.length };
}

/** Minor units at `scale` places, exactly (scale must be >= d.places). */
export function toUnits(d: Decimal, scale = d.places): bigint {
  const negative = d.text.startsWith('-');
  const [int, frac = ''] = d.text.replace('-', '').split('.');
  const units = BigInt(int + frac.padEnd(scale, '0'));
  return negative ? -units : units;
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.places, b.places);
  const diff = toUnits(a, scale) - toUnits(b, scale);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

export function isPositive(d: Decimal): boolean {
  return !d.text.startsWith('-') && d.text !== '0';
}

/** Parses a money input and checks it is a positive amount with at most `maxPlaces` places. */
export function parseAmount(
  input: string | number | bigint,
  maxPlaces: number,
): { ok: true; amount: Decimal } | { ok: false; error: MoneyParseError } {
  const amount = parseDecimal(input);
  if (!amount) return { ok: false, error: 'NOT_A_DECIMAL' };
  if (!isPositive(amount)) return { ok: false, error: 'NOT_POSITIVE' };
  if (amount.places > maxPlaces) return { ok: false, error: 'TOO_MANY_PLACES' };
  return { ok: true, amount };
}

/**
 * The JSON number literal for the wire, written from the decimal text so that no
 * binary float rounding can touch it: `"345.67"` becomes the four characters `345.67`.
 */
export function toWireNumberLiteral(d: Decimal): string {
  return d.text;
}

/**
 * Reads an amount a server sent as a JSON number (or, tolerantly, a string). JavaScript's
 * shortest round-trip formatting gives back exactly the decimal the server wrote for any
 * amount of up to 15 significant digits, which covers every real payment amount.
 */
export function fromWireNumber(value: unknown): Decimal | null {
  if (typeof value === 'string') return parseDecimal(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const text = value.toString();
  if (/e/i.test(text)) return parseDecimal(value.toFixed(20).replace(/\.?0+$/, ''));
  return parseDecimal(text);
}

/**
 * JSON.stringify, except that every `Decimal` value is written as a bare number literal
 * from its text. Used for request bodies that carry amounts.
 */
export function stringifyWithDecimals(body: Record<string, unknown>): string {
  const literals: string[] = [];
  const json = JSON.stringify(body, (_key, value: unknown) => {
    if (isDecimal(value)) {
      literals.push(toWireNumberLiteral(value));
      return `\u0000decimal${literals.length - 1}\u0000`;
    }
    return value;
  });
  return json.replace(/"\\u0000decimal(\d+)\\u0000"/g, (_m, index: string) => literals[Number(index)]);
}

export function isDecimal(value: unknown): value is Decimal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Decimal).text === 'string' &&
    typeof (value as Decimal).places === 'number' &&
    Object.keys(value).length === 2
  );
}
