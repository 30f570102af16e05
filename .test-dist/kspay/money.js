/**
 * Exact decimal money. An amount is kept as its canonical decimal text ("345.67"); no
 * float ever holds an amount inside the gateway. The JSON number KS Pay wants is written
 * straight from that text (see `initiateBody` in client.ts).
 */
const DECIMAL = /^(?<sign>-?)(?<int>\d+)(?:\.(?<frac>\d+))?$/;
export class Decimal {
    /** Canonical text: no leading zeros, no trailing fractional zeros, no exponent. */
    text;
    /** Count of fractional digits in `text`. */
    places;
    constructor(text, places) {
        this.text = text;
        this.places = places;
    }
    /** Parses a decimal string or integer into canonical form; null when it is not a plain decimal. */
    static parse(input) {
        let raw;
        if (typeof input === 'bigint')
            raw = input.toString();
        else if (typeof input === 'number') {
            // Integers are exact; a fractional JS number is accepted only from the wire (see fromWireNumber).
            if (!Number.isSafeInteger(input))
                return null;
            raw = String(input);
        }
        else
            raw = input.trim();
        const match = DECIMAL.exec(raw);
        if (!match?.groups)
            return null;
        const { sign, int, frac = '' } = match.groups;
        const intPart = int.replace(/^0+(?=\d)/, '');
        const fracPart = frac.replace(/0+$/, '');
        const isZero = /^0*$/.test(intPart + fracPart);
        const text = `${sign && !isZero ? '-' : ''}${intPart}${fracPart ? `.${fracPart}` : ''}`;
        return new Decimal(text, fracPart.length);
    }
    isPositive() {
        return !this.text.startsWith('-') && this.text !== '0';
    }
    toString() {
        return this.text;
    }
    /** Stored records and published events carry the exact text, as GraphQL shows it. */
    toJSON() {
        return this.text;
    }
}
/** Parses a money input and checks it is a positive amount with at most `maxPlaces` places. */
export function parseAmount(input, maxPlaces) {
    const amount = Decimal.parse(input);
    if (!amount)
        return { ok: false, error: 'NOT_A_DECIMAL' };
    if (!amount.isPositive())
        return { ok: false, error: 'NOT_POSITIVE' };
    if (amount.places > maxPlaces)
        return { ok: false, error: 'TOO_MANY_PLACES' };
    return { ok: true, amount };
}
/**
 * A double carries every decimal of up to 15 significant digits exactly (and gives it
 * back through JavaScript's shortest round-trip formatting); beyond that a JSON number
 * may be silently rounded by whoever parses it: `99999999999.999999` reads as `100000000000`.
 */
export const MAX_EXACT_DIGITS = 15;
/** Digits from the first non-zero one to the end of the canonical text: "0.0012" has 2, "1200.5" has 5. */
export function significantDigits(d) {
    return d.text.replace(/[-.]/g, '').replace(/^0+/, '').length;
}
/** Whether the amount survives a trip as a JSON number, exactly. */
export function fitsJsonNumber(d) {
    return significantDigits(d) <= MAX_EXACT_DIGITS;
}
/**
 * Reads an amount a server sent as a JSON number (or, tolerantly, a string). For a number
 * of up to 15 significant digits the shortest round-trip formatting gives back exactly the
 * decimal the server wrote. A number needing more digits cannot be what the server meant
 * (it was rounded on the way), so it is unreadable (null) rather than guessed at. A string
 * is exact text and is read as written.
 */
export function fromWireNumber(value) {
    if (typeof value === 'string')
        return Decimal.parse(value);
    if (typeof value !== 'number' || !Number.isFinite(value))
        return null;
    const decimal = Decimal.parse(withoutExponent(value.toString()));
    return decimal && fitsJsonNumber(decimal) ? decimal : null;
}
/**
 * "1.5e-7" → "0.00000015", "1e+21" → "1000000000000000000000": moves the point in the
 * text, where toFixed would round the binary value again.
 */
function withoutExponent(text) {
    const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/i.exec(text);
    if (!match)
        return text;
    const [, sign, int, frac = '', exponent] = match;
    const digits = int + frac;
    const point = int.length + Number(exponent);
    if (point <= 0)
        return `${sign}0.${'0'.repeat(-point)}${digits}`;
    if (point >= digits.length)
        return sign + digits + '0'.repeat(point - digits.length);
    return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}
