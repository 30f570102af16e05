/**
 * The report as CSV, for a spreadsheet: RFC 4180 (CRLF line ends; a cell holding a comma,
 * quote or line break is quoted, quotes doubled), and safe to open: a cell that a spreadsheet
 * would run as a formula (starting with =, +, -, @, a tab or a carriage return) is prefixed
 * with a quote mark, so it is shown as text (OWASP's advice for CSV injection).
 */
import type { ReconciliationReport, ReportRow } from './report.js';

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
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | null): string {
  if (value === null || value === '') return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvLine(cells: readonly (string | null)[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** The header, then one line per row: written one at a time, so a stream can pace them. */
export function* csvLines(report: Pick<ReconciliationReport, 'rows'>): Generator<string> {
  yield csvLine(CSV_COLUMNS);
  for (const row of report.rows) yield csvLine(cellsOf(row));
}

function cellsOf(row: ReportRow): (string | null)[] {
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
