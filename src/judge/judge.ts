import type { InventoryRecord } from '../model/record.js';
import { attestationOverdue } from './attestation-rules.js';
import {
  conflictingAttributes,
  inactiveOwner,
  missingFromSource,
  retiredAssetActive,
  staleAsset,
  unknownAsset,
  unownedAsset,
} from './asset-rules.js';
import type { JudgeConfig } from './config.js';
import type { JudgeContext } from './context.js';
import {
  expiredCredential,
  expiringCredential,
  longLivedCredential,
  orphanedCredential,
  rootAccessKey,
  unrotatedCredential,
  unusedCredential,
} from './credential-rules.js';
import type { Finding } from './finding.js';
import { humanUseOfNhi } from './identity-rules.js';
import { selfSignedOutsideTrust, weakCredential } from './certificate-rules.js';
import { environmentCrossing, nhiReuse, unregisteredWorkload } from './workload-rules.js';
import { build, type FindingDraft } from './make.js';

/**
 * Judges one record against the graph around it, at the instant `now`. Pure: the same record,
 * context, config and clock give the same findings, whatever the process's time zone.
 */
export function judgeRecord(
  r: InventoryRecord,
  ctx: JudgeContext,
  config: JudgeConfig,
  now: string,
): Finding[] {
  const drafts: (FindingDraft | undefined)[] = [];
  switch (r.kind) {
    case 'asset':
      drafts.push(
        unknownAsset(r, ctx),
        unownedAsset(r, ctx),
        inactiveOwner(r, ctx),
        retiredAssetActive(r, ctx),
        staleAsset(r, config, now),
        unregisteredWorkload(r),
      );
      break;
    case 'identity':
      drafts.push(
        inactiveOwner(r, ctx),
        humanUseOfNhi(r, config, now),
        nhiReuse(r, ctx),
        environmentCrossing(r, ctx),
        unregisteredWorkload(r),
      );
      break;
    case 'credential':
      drafts.push(
        orphanedCredential(r, ctx, now),
        unusedCredential(r, config, now),
        unrotatedCredential(r, config, now),
        rootAccessKey(r, ctx, now),
        expiredCredential(r, now),
        expiringCredential(r, config, now),
        longLivedCredential(r, config, now),
        weakCredential(r, config, now),
        selfSignedOutsideTrust(r, now),
      );
      break;
    case 'owner':
      break;
  }
  if (r.kind !== 'owner') drafts.push(...missingFromSource(r), attestationOverdue(r, config, now));
  drafts.push(...conflictingAttributes(r, ctx, config));
  return drafts.filter((d): d is FindingDraft => d !== undefined).map((d) => build(r, ctx, d));
}
