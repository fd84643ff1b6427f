/**
 * CSV as spreadsheets read it: RFC 4180 quoting, CRLF line ends, a byte-order mark so Excel reads
 * UTF-8, and no cell that a spreadsheet would run as a formula.
 */
export type Cell = string | number | boolean | undefined | null;

/** Characters that make a spreadsheet treat a cell as a formula (or a DDE command). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : String(value);
  // A leading apostrophe makes it text in every spreadsheet; numbers stay numbers.
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: Iterable<readonly Cell[]>): string {
  const lines = [header.map(csvCell).join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `\ufeff${lines.join('\r\n')}\r\n`;
}
