/**
 * How deep a JSON document may nest. Real exports nest a dozen levels at most (an EC2
 * instance's network interfaces' addresses' association); the readers' recursive walks (secret
 * scan, copies) would exhaust the stack on a hostile document 100,000 levels deep.
 */
export const MAX_JSON_DEPTH = 256;

/**
 * True when a parsed JSON value nests objects or arrays deeper than `limit` levels (the root
 * object is level 1). The walk keeps its own stack, so it cannot overflow the call stack itself.
 */
export function nestsDeeperThan(value: unknown, limit = MAX_JSON_DEPTH): boolean {
  const stack: Array<{ v: unknown; depth: number }> = [{ v: value, depth: 1 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { v, depth } = top;
    if (v === null || typeof v !== 'object') continue;
    if (depth > limit) return true;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    for (const c of children) {
      if (c !== null && typeof c === 'object') stack.push({ v: c, depth: depth + 1 });
    }
  }
  return false;
}

/** The message for a document refused for its depth: it names the limit, never the input. */
export function tooDeepMessage(limit = MAX_JSON_DEPTH): string {
  return `JSON nested deeper than ${limit} levels; nothing read`;
}
