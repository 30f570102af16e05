/**
 * Exact sums of decimal amounts for the report's totals: each amount is scaled to whole units
 * of the smallest place among them and added as a BigInt, so no float ever holds money.
 */
import { Decimal } from '../kspay/money.js';
export function sumOf(amounts) {
    const places = Math.max(0, ...amounts.map((amount) => amount.places));
    let total = 0n;
    for (const amount of amounts)
        total += scaled(amount, places);
    return unscaled(total, places);
}
function scaled(amount, places) {
    const negative = amount.text.startsWith('-');
    const [whole = '0', fraction = ''] = amount.text.replace('-', '').split('.');
    const units = BigInt(whole + fraction.padEnd(places, '0'));
    return negative ? -units : units;
}
function unscaled(units, places) {
    const negative = units < 0n;
    const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
    const text = places > 0 ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits;
    return Decimal.parse(`${negative ? '-' : ''}${text}`);
}
