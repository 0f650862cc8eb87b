const OTHERS = [',', ';', '\t', '|'];

/**
 * The delimiter a header seems to use instead of `expected`: a header read as one column that
 * holds another usual delimiter (a `;` export read as `,`). Undefined when none is likely.
 *
 * @example suspectedDelimiter(['sys_id;name;fqdn'], ',') // ';'
 */
export function suspectedDelimiter(header: readonly string[], expected = ','): string | undefined {
  if (header.length !== 1) return undefined;
  return OTHERS.find((d) => d !== expected && header[0]!.includes(d));
}

/** How a delimiter is named in messages: `;`, `tab`, `|`. */
export function delimiterName(d: string): string {
  return d === '\t' ? 'tab' : `'${d}'`;
}
