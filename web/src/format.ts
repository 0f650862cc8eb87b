/**
 * Display helpers. Times are shown in UTC, as Roster stores them, so that what a reviewer
 * reads matches the API, the CLI and the evidence of a finding whatever the browser's zone.
 */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map((v) => formatValue(v)).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const KIND_LABEL: Record<string, string> = {
  asset: 'Asset',
  identity: 'Identity',
  credential: 'Credential',
  owner: 'Owner',
};

export function kindLabel(kind: string | null | undefined): string {
  return kind ? (KIND_LABEL[kind] ?? kind) : 'Unresolved';
}

/** Assets and identities have an owner and an admission state; owners and credentials not. */
export function ownable(kind: string | null | undefined): boolean {
  return kind === 'asset' || kind === 'identity';
}

/** `unowned-asset` → `Unowned asset`. */
export function humanize(code: string): string {
  const words = code.replace(/[-_.]/g, ' ').replace(/\bnhi\b/g, 'NHI');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
