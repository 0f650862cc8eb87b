/**
 * Where csv-parse records start. csv-parse reports the line a record ends on (`info.lines`,
 * blank lines skipped before it included), but counts a CRLF inside a quoted cell as two
 * lines, as Windows exports of multi-line cells write them: that over-count is taken off,
 * summed over the records so far. A record starts as many lines before its end as its cells
 * hold line breaks. One per file, fed every record in order.
 *
 * @example new RecordLines().startOf(['a', 'two\nlines'], 3) // 2
 */
export class RecordLines {
  /** CRLFs inside cells so far, each counted twice by csv-parse. */
  #extra = 0;
  /** The line the last record ended on. */
  end = 0;

  /** The line the record whose cells are `cells` and that ends at csv-parse's `lines` starts on. */
  startOf(cells: readonly string[], lines: number): number {
    let breaks = 0;
    for (const cell of cells) {
      if (!cell.includes('\n')) continue;
      breaks += count(cell, '\n');
      this.#extra += count(cell, '\r\n');
    }
    this.end = lines - this.#extra;
    return this.end - breaks;
  }
}

function count(text: string, part: string): number {
  let n = 0;
  for (let i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length)) n++;
  return n;
}
