function isPlainObject(value) {
    return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
function merged(base, over) {
    if (over === undefined)
        return base;
    if (!isPlainObject(base) || !isPlainObject(over))
        return over;
    const result = { ...base };
    for (const [key, value] of Object.entries(over))
        result[key] = merged(base[key], value);
    return Object.freeze(result);
}
export function withOverrides(config, overrides = {}) {
    return merged(config, overrides);
}
