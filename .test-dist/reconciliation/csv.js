export const CSV_COLUMNS = [
    'referenceNumber',
    'transactionId',
    'currencyCode',
    'amount',
    'status',
    'discrepancy',
    'detail',
    'askedAmount',
    'askedCurrencyCode',
];
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;
export function csvCell(value) {
    if (value === null || value === '')
        return '';
    const safe = FORMULA_START.test(value) ? `'${value}` : value;
    return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
export function csvLine(cells) {
    return `${cells.map(csvCell).join(',')}\r\n`;
}
/** The header, then one line per row: written one at a time, so a stream can pace them. */
export function* csvLines(report) {
    yield csvLine(CSV_COLUMNS);
    for (const row of report.rows)
        yield csvLine(cellsOf(row));
}
function cellsOf(row) {
    return [
        row.referenceNumber,
        row.transactionId,
        row.currencyCode,
        row.amount?.text ?? null,
        row.status,
        row.discrepancies.map((d) => d.kind).join(';'),
        row.discrepancies.map((d) => d.detail).join('; '),
        row.askedAmount,
        row.askedCurrencyCode,
    ];
}
