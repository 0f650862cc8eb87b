import type { InventoryRecord } from '../model/record.js';
import type { Key, KeyType } from '../model/types.js';
import type { ActionTarget, ActionType } from './plan-types.js';

function text(r: InventoryRecord, name: string): string | undefined {
  const v = r.attributes[name]?.value;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function keyOf(r: InventoryRecord, type: KeyType): string | undefined {
  return r.keys.find((k) => k.type === type)?.value;
}

function arnOf(r: InventoryRecord, kind: 'user' | 'role'): string | undefined {
  return r.keys.find((k) => k.type === 'aws-arn' && k.value.includes(`:${kind}/`))?.value;
}

/** Which revocation fits an identity: by the system that holds it. */
export function identityActionType(r: InventoryRecord): ActionType {
  const cls = text(r, 'class');
  if (arnOf(r, 'user')) return 'aws-iam-user.disable';
  if (arnOf(r, 'role')) return 'aws-iam-role.disable';
  if (cls === 'k8s-service-account') return 'k8s-service-account.delete';
  if (cls === 'spire-entry' || keyOf(r, 'spiffe-id')) return 'spire-entry.delete';
  return 'identity.disable';
}

/** Which revocation fits a credential: by its type and the system that issued it. */
export function credentialActionType(r: InventoryRecord): ActionType {
  const type = text(r, 'credentialType');
  const cls = text(r, 'class') ?? '';
  if (type === 'access-key' && isAws(r)) return 'aws-access-key.deactivate-delete';
  if (type === 'signing-certificate' && isAws(r)) {
    return 'aws-signing-certificate.deactivate-delete';
  }
  if (cls === 'spire-entry' || type === 'spire-entry') return 'spire-entry.delete';
  // Vault: a token is revoked by its accessor (auth/token/revoke-accessor), a secret-id
  // destroyed by its accessor (…/secret-id-accessor/destroy), a lease revoked by its id.
  if (cls === 'vault-approle-secret-id') return 'vault-secret-id.destroy-by-accessor';
  if (cls === 'vault-lease' || type === 'vault-lease') return 'vault-lease.revoke';
  if (cls.startsWith('vault') || text(r, 'vault.accessor')) {
    return 'vault-lease.revoke-by-accessor';
  }
  if (cls === 'k8s-secret' && type === 'token') return 'k8s-token.delete';
  if (type === 'x509-certificate' || keyOf(r, 'x509-sha256')) return 'certificate.revoke';
  if (type === 'service-account-key') return 'gcp-service-account-key.delete';
  if (type === 'client-secret' || keyOf(r, 'entra-app-id') || cls.startsWith('entra')) {
    return 'entra-credential.remove';
  }
  return 'credential.revoke';
}

function isAws(r: InventoryRecord): boolean {
  return r.keys.some((k) => k.type.startsWith('aws-')) ||
    r.sightings.some((s) => s.source === 'aws');
}

/**
 * The identifiers a receiver needs, read from keys and attributes. Never a secret value: the
 * inventory holds none (DESIGN.md rule 5).
 */
export function targetOf(r: InventoryRecord, owner?: InventoryRecord): ActionTarget {
  const details: Record<string, string> = {};
  const put = (name: string, v: string | undefined): void => {
    if (v !== undefined) details[name] = v;
  };
  put('accessKeyId', keyOf(r, 'aws-access-key-id'));
  put('credentialSlot', keyOf(r, 'aws-credential-slot'));
  put('userArn', owner ? arnOf(owner, 'user') : arnOf(r, 'user'));
  put('userName', owner && arnOf(owner, 'user') ? owner.name : arnOf(r, 'user') && r.name);
  put('roleArn', arnOf(r, 'role'));
  put('roleName', arnOf(r, 'role') && r.name);
  put('account', text(r, 'account') ?? (owner && text(owner, 'account')));
  put('fingerprint', keyOf(r, 'x509-sha256'));
  put('serialNumber', text(r, 'serialNumber'));
  put('issuer', text(r, 'issuer'));
  put('spiffeId', keyOf(r, 'spiffe-id'));
  put('keyId', keyOf(r, 'key-id'));
  put('accessor', text(r, 'vault.accessor') ?? (isVaultToken(r) ? keyOf(r, 'key-id') : undefined));
  put('leaseId', text(r, 'vault.leaseId'));
  put('vaultScope', isVault(r) ? r.sightings.find((s) => s.source === 'vault')?.scope : undefined);
  put('approleRole', owner && text(owner, 'vault.roleName'));
  put('entityId', isVault(r) ? text(r, 'vault.entityId') : undefined);
  put('gcpResource', keyOf(r, 'gcp-resource'));
  put('entraObjectId', keyOf(r, 'entra-object-id'));
  Object.assign(details, k8sDetails(keyOf(r, 'k8s-ref')));
  return { recordId: r.id, kind: r.kind, name: r.name, keys: r.keys.map(copyKey), details };
}

function isVault(r: InventoryRecord): boolean {
  return (text(r, 'class') ?? '').startsWith('vault');
}

function isVaultToken(r: InventoryRecord): boolean {
  return isVault(r) && text(r, 'class') !== 'vault-lease';
}

/** `<cluster>/<namespace>/<kind>/<name>` (keys.ts) split into its parts. */
function k8sDetails(ref: string | undefined): Record<string, string> {
  if (!ref) return {};
  const parts = ref.split('/');
  if (parts.length < 4) return { k8sRef: ref };
  const [cluster, namespace, kind, ...rest] = parts;
  return {
    k8sRef: ref,
    cluster: cluster!,
    namespace: namespace!,
    k8sKind: kind!,
    k8sName: rest.join('/'),
  };
}

function copyKey(k: Key): Key {
  return { type: k.type, value: k.value };
}
