/**
 * A CSV cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at its start)
 * gets a leading quote, as OWASP's "CSV Injection" page advises: names, messages and
 * descriptions quote source data, which anyone who can write to a source controls.
 * The one rule for every CSV Roster writes (`roster … -o csv`, the API's findings export).
 *
 * @example spreadsheetSafe('=HYPERLINK("http://evil.example")') // "'=HYPERLINK(…)"
 */
export function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
