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
 * A double carries every decimal of up to 15 significant digits exactly (and gives it
 * back through JavaScript's shortest round-trip formatting); beyond that a JSON number
 * may be silently rounded by whoever parses it: `99999999999.999999` reads as `100000000000`.
 */
export const MAX_EXACT_DIGITS = 15;

/** Digits from the first non-zero one to the end of the canonical text: "0.0012" has 2, "1200.5" has 5. */
export function significantDigits(d: Decimal): number {
  return d.text.replace(/[-.]/g, '').replace(/^0+/, '').length;
}

/** Whether the amount survives a trip as a JSON number, exactly. */
export function fitsJsonNumber(d: Decimal): boolean {
  return significantDigits(d) <= MAX_EXACT_DIGITS;
}

/**
 * Reads an amount a server sent as a JSON number (or, tolerantly, a string). For a number
 * of up to 15 significant digits the shortest round-trip formatting gives back exactly the
 * decimal the server wrote. A number needing more digits cannot be what the server meant
 * (it was rounded on the way), so it is unreadable (null) rather than guessed at. A string
 * is exact text and is read as written.
 */
export function fromWireNumber(value: unknown): Decimal | null {
  if (typeof value === 'string') return parseDecimal(value);
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const decimal = parseDecimal(withoutExponent(value.toString()));
  return decimal && fitsJsonNumber(decimal) ? decimal : null;
}

/**
 * "1.5e-7" → "0.00000015", "1e+21" → "1000000000000000000000": moves the point in the
 * text, where toFixed would round the binary value again.
 */
function withoutExponent(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
  if (!match) return text;
  const [, sign, int, frac = '', exponent] = match;
  const digits = int + frac;
  const point = int.length + Number(exponent);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return sign + digits + '0'.repeat(point - digits.length);
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
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
