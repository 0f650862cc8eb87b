import { RosterError } from '../model/errors.js';
import type { SourceFormat, SourceInput } from './format.js';
import { servicenowCmdb } from './servicenow/index.js';
import { K8S_FORMATS } from './k8s/index.js';
import { X509_FORMATS } from './x509/index.js';
import { SPIRE_FORMATS } from './spire/index.js';
import { awsCredentialReport, awsEc2Instances, awsIamAuthorizationDetails } from './aws/index.js';
import { awsIamCli } from './aws/index.js';
import { ENTRA_FORMATS } from './entra/index.js';
import { GCP_FORMATS } from './gcp/index.js';
import { ENDPOINT_FORMATS } from './osquery/index.js';
import { NETBOX_FORMATS } from './netbox/index.js';
import { MAPPED_FORMATS } from './mapped/index.js';
import { VAULT_FORMATS } from './vault/index.js';

/**
 * Every format Roster reads. Each source folder exports its formats; add them here.
 * Order matters only for listing.
 */
export const FORMATS: readonly SourceFormat[] = [
  // formats are added here by each source module
  servicenowCmdb,
  ...K8S_FORMATS,
  ...X509_FORMATS,
  ...SPIRE_FORMATS,
  awsCredentialReport,
  awsEc2Instances,
  awsIamAuthorizationDetails,
  awsIamCli,
  ...ENTRA_FORMATS,
  ...GCP_FORMATS,
  ...ENDPOINT_FORMATS,
  ...NETBOX_FORMATS,
  ...MAPPED_FORMATS,
  ...VAULT_FORMATS,
];

export function formatByName(name: string): SourceFormat {
  const f = FORMATS.find((x) => x.name === name);
  if (!f) throw new RosterError('UNKNOWN_FORMAT', formatProblem(name)!);
  return f;
}

/** Why a format name names no format (the known ones listed), or undefined. */
export function formatProblem(name: string): string | undefined {
  if (FORMATS.some((x) => x.name === name)) return undefined;
  return `unknown format '${name.slice(0, 100)}'; known formats: ` +
    FORMATS.map((x) => x.name).join(', ');
}

/**
 * Why types given for a format cannot be read, or undefined: the format's own refusal (without
 * its leading `types: `), or that it reads no types.
 */
export function typesProblem(formatName: string, given: readonly string[]): string | undefined {
  const format = FORMATS.find((x) => x.name === formatName);
  if (!format) return undefined;
  if (!format.takesTypes) return `format ${format.name} does not read types`;
  try {
    format.checkTypes?.(given);
    return undefined;
  } catch (err) {
    if (!(err instanceof RosterError)) throw err;
    return err.message.replace(/^types: /, '');
  }
}

/** Picks the format whose detector is most confident; refuses ties and non-matches. */
export function detectFormat(input: Pick<SourceInput, 'path' | 'head'>): SourceFormat {
  const scored = FORMATS.map((f) => ({ f, score: f.detect(input) }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best) {
    throw new RosterError(
      'UNKNOWN_FORMAT',
      `${input.path}: not a format Roster recognises; pass --format (see 'roster sources')`,
    );
  }
  const second = scored[1];
  if (second && second.score === best.score) {
    throw new RosterError(
      'AMBIGUOUS_FORMAT',
      `${input.path}: could be ${best.f.name} or ${second.f.name}; pass --format`,
    );
  }
  return best.f;
}
