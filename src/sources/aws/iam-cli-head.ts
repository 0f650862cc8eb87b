/**
 * Member names at the top of a JSON document, read from its head (which may end mid-way):
 * those of the document itself and, for a recorded response, those of its `data` object.
 * Nested names (a role's `Tags`, an instance's `Roles`) are not top-level and are left out.
 *
 * @example topLevelMembers('{"status_code": 200, "data": {"Users": [')
 *   // ['status_code', 'data', 'Users']
 */
export function topLevelMembers(head: string): string[] {
  const out: string[] = [];
  const parents: (string | undefined)[] = [];
  let lastString: string | undefined;
  let pendingKey: string | undefined;
  for (let i = 0; i < head.length; i++) {
    const c = head[i];
    if (c === '"') {
      const end = closingQuote(head, i);
      if (end < 0) break;
      lastString = head.slice(i + 1, end);
      i = end;
      continue;
    }
    if (c === ':' && lastString !== undefined) {
      pendingKey = lastString;
      const depth = parents.length;
      if (depth === 1 || (depth === 2 && parents[1] === 'data')) out.push(lastString);
    } else if (c === '{' || c === '[') {
      parents.push(c === '{' ? pendingKey : undefined);
      pendingKey = undefined;
    } else if (c === '}' || c === ']') {
      parents.pop();
    } else if (c === ',') {
      pendingKey = undefined;
    }
    // A string is a member name only when a colon is the next thing after it.
    if (c !== ':' && !/\s/.test(c ?? '')) lastString = undefined;
  }
  return out;
}

function closingQuote(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
