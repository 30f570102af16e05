/**
 * Keys the gateway's operator makes up (client API keys, the webhook secret) must not be
 * guessable at a glance: `aaaaaaaaaaaaaaaa` is 16 characters long and no secret at all.
 * These rules refuse the obvious placeholders; they do not measure randomness. Generate
 * keys with `openssl rand -hex 24`.
 */
/** Why `key` is trivially weak, or null when none of the rules objects. */
export function weakness(key) {
    const distinct = new Set(key).size;
    if (distinct === 1)
        return 'is one character repeated';
    if (distinct < 6)
        return `uses only ${distinct} different characters (at least 6 are required)`;
    const period = repeatingPeriod(key);
    if (period !== null)
        return `repeats its first ${period} characters`;
    if (isRun(key))
        return 'is a run of consecutive characters (like abcdef… or 123456…)';
    return null;
}
/** The shortest period of `key` (abcabcab: 3), if the key is that block repeated at least twice. */
function repeatingPeriod(key) {
    for (let period = 1; period <= key.length / 2; period++) {
        if (key.slice(period) === key.slice(0, -period))
            return period;
    }
    return null;
}
/** Mostly steps of +1 or -1 between neighbouring characters (`abcdefghijklmnop`, `0123456789012345`). */
function isRun(key) {
    let steps = 0;
    for (let i = 1; i < key.length; i++) {
        const step = key.charCodeAt(i) - key.charCodeAt(i - 1);
        if (step === 1 || step === -1 || step === -9)
            steps += 1; // -9: 9 → 0 in a run of digits
    }
    return steps >= (key.length - 1) * 0.75;
}
