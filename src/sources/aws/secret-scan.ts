import { isSecretField } from '../../model/secrets.js';

/**
 * Paths of the fields of a JSON value that hold a secret value (DESIGN.md rule 5), e.g.
 * `SecretAccessKey` or `Tags.db_password`. Only paths are returned: callers name the field and
 * never echo the value. AWS tag lists (`[{Key, Value}]`) are checked under the tag's key, so a
 * tag `db_password=…` is caught like a field of that name.
 *
 * @example findSecretFields({ AccessKeyId: 'AKIA…', SecretAccessKey: '…40 chars…' })
 *   // ['SecretAccessKey']
 */
export function findSecretFields(value: unknown, path = ''): string[] {
  const found: string[] = [];
  walk(value, path, found);
  return found;
}

/** Paths are only built where the walk descends or finds something: it runs on every field. */
function walk(value: unknown, path: string, found: string[]): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) inArray(value[i], path, i, found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    const v = o[key];
    if (typeof v === 'string') {
      if (isSecretField(key, v)) found.push(path ? `${path}.${key}` : key);
    } else if (v !== null && typeof v === 'object') {
      walk(v, path ? `${path}.${key}` : key, found);
    }
  }
}

function inArray(item: unknown, path: string, index: number, found: string[]): void {
  if (isTag(item)) {
    if (isSecretField(item.Key, item.Value)) found.push(`${path}.${item.Key}`);
  } else if (typeof item === 'string') {
    // A bare string in a list has no field name of its own: judge it by the list's name.
    const name = path.split('.').pop() ?? '';
    if (isSecretField(name, item)) found.push(`${path}[${index}]`);
  } else if (item !== null && typeof item === 'object') {
    walk(item, `${path}[${index}]`, found);
  }
}

function isTag(item: unknown): item is { Key: string; Value: string } {
  if (item === null || typeof item !== 'object') return false;
  const o = item as Record<string, unknown>;
  return typeof o['Key'] === 'string' && typeof o['Value'] === 'string';
}

/**
 * Secret fields of a response outside the records that are checked one by one: `skip` names
 * the members holding those records.
 */
export function findSecretFieldsOutside(
  doc: Record<string, unknown>,
  skip: readonly string[],
): string[] {
  const rest = Object.fromEntries(Object.entries(doc).filter(([k]) => !skip.includes(k)));
  return findSecretFields(rest);
}
