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
  if (Array.isArray(value)) return value.flatMap((v, i) => inArray(v, path, i));
  if (value === null || typeof value !== 'object') return [];
  const found: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    if (typeof v === 'string') {
      if (isSecretField(key, v)) found.push(at);
    } else {
      found.push(...findSecretFields(v, at));
    }
  }
  return found;
}

function inArray(item: unknown, path: string, index: number): string[] {
  if (isTag(item)) return isSecretField(item.Key, item.Value) ? [`${path}.${item.Key}`] : [];
  if (typeof item === 'string') {
    // A bare string in a list has no field name of its own: judge it by the list's name.
    const name = path.split('.').pop() ?? '';
    return isSecretField(name, item) ? [`${path}[${index}]`] : [];
  }
  return findSecretFields(item, `${path}[${index}]`);
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
