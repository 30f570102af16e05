/** The value rules variables share, each refusing a bad value with one plain sentence. */
import { isIP } from 'node:net';
import { z } from 'zod';
/** A whole number within `min`…`max`, refused with the one rule whatever is wrong with it. */
export function wholeNumber(rule, min, max = Number.MAX_SAFE_INTEGER) {
    return z.coerce.number({ error: rule }).int(rule).min(min, rule).max(max, rule);
}
export const port = wholeNumber('must be a port number from 0 to 65535', 0, 65535);
export const milliseconds = wholeNumber('must be a positive whole number of milliseconds', 1);
export const count = wholeNumber('must be a positive whole number', 1);
export const flag = z.enum(['true', 'false', '1', '0', 'on', 'off']).transform((v) => ['true', '1', 'on'].includes(v));
/** A comma-separated list, entries trimmed, empty entries dropped. */
export const list = z.string().transform((raw) => raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean));
const ORIGIN_ERROR = 'each origin must be an http(s) origin such as https://shop.example (no path or query)';
/** Kept as browsers send an Origin (`https://shop.example`, lower case, no slash), or it would never match one. */
export const origins = list.pipe(z.array(z
    .url({ protocol: /^https?$/, error: ORIGIN_ERROR })
    .refine(isBareOrigin, ORIGIN_ERROR)
    .transform((url) => new URL(url).origin)));
function isBareOrigin(text) {
    const url = URL.parse(text);
    return url !== null && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
}
export const headerNames = list
    .transform((names) => names.map((name) => name.toLowerCase()))
    .pipe(z.array(z.string().regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, 'each entry must be an HTTP header name')));
const RANGE_ERROR = 'each entry must be an IP address or a CIDR range, such as 10.0.0.0/8 or fd00::/8';
/** TRUSTED_PROXIES: IP addresses and CIDR ranges. */
export const addressRanges = list.pipe(z.array(z.string().refine(isAddressRange, RANGE_ERROR)).min(1, 'has no addresses'));
function isAddressRange(entry) {
    const [address = '', prefix, ...rest] = entry.split('/');
    const version = isIP(address);
    if (version === 0 || rest.length > 0)
        return false;
    return prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128));
}
