import type { SourceFormat } from '../format.js';
import {
  vaultApproleRoles,
  vaultLeases,
  vaultResponses,
  vaultSecretIdAccessors,
  vaultTokenAccessors,
} from './vault-format.js';

export {
  vaultApproleRoles,
  vaultLeases,
  vaultResponses,
  vaultSecretIdAccessors,
  vaultTokenAccessors,
} from './vault-format.js';

/** The Vault / OpenBao formats, for the registry. */
export const VAULT_FORMATS: readonly SourceFormat[] = [
  vaultResponses,
  vaultTokenAccessors,
  vaultSecretIdAccessors,
  vaultLeases,
  vaultApproleRoles,
];
