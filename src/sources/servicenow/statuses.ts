import type { Admission, Criticality, LifecycleStage } from '../../model/types.js';
import {
  admissionOf,
  criticalityOf,
  installStatus,
  isUnderstoodStatus,
  lifecycleOf,
  operationalStatus,
  type Choice,
} from './choices.js';
import { compact } from '../common.js';
import type { FileContext } from './context.js';
import { columnOf, textOf, valueOf, type Row } from './row.js';

export interface Statuses {
  readonly admission: Admission;
  readonly lifecycle?: LifecycleStage;
  readonly criticality?: Criticality;
  /** The statuses in ServiceNow's words, kept beside the normalised ones. */
  readonly installLabel?: string;
  readonly operationalLabel?: string;
}

/** Status-like fields that may say a CI is being retired, beside the two choice lists. */
const OTHER_STATUS_FIELDS = ['hardware_status', 'life_cycle_stage_status'];

/**
 * Reads install status, operational status and business criticality by code or display
 * value; a value in neither list is a warning naming line and field (DESIGN.md rule 4).
 */
export function readStatuses(row: Row, ctx: FileContext): Statuses {
  const install = choice(row, 'install_status', installStatus, ctx);
  const operational = choice(row, 'operational_status', operationalStatus, ctx);
  const texts = ['install_status', 'operational_status', ...OTHER_STATUS_FIELDS]
    .map((f) => textOf(row, f))
    .filter((t): t is string => t !== undefined);
  const lifecycle = lifecycleOf(texts, install, operational);
  const gone = lifecycle === 'retired' ? 'retired' : admissionOf(install, operational);
  return compact({
    admission: gone,
    lifecycle,
    criticality: readCriticality(row, ctx),
    installLabel: install?.label ?? textOf(row, 'install_status'),
    operationalLabel: operational?.label ?? textOf(row, 'operational_status'),
  });
}

function choice(
  row: Row,
  field: string,
  find: (raw: string) => Choice | undefined,
  ctx: FileContext,
): Choice | undefined {
  const raw = valueOf(row, field);
  if (raw === undefined) return undefined;
  const found = find(raw) ?? find(textOf(row, field) ?? raw);
  if (!found && !isUnderstoodStatus(textOf(row, field) ?? raw)) unknownValue(row, field, raw, ctx);
  return found;
}

function readCriticality(row: Row, ctx: FileContext): Criticality | undefined {
  const raw = valueOf(row, 'busines_criticality');
  if (raw === undefined) return undefined;
  const found = criticalityOf(raw) ?? criticalityOf(textOf(row, 'busines_criticality') ?? raw);
  if (!found) unknownValue(row, 'busines_criticality', raw, ctx);
  return found;
}

function unknownValue(row: Row, field: string, raw: string, ctx: FileContext): void {
  const column = columnOf(row, field);
  const message = `'${column}' has value '${raw.slice(0, 60)}', not one ServiceNow defines`;
  ctx.warn('UNKNOWN_ENUM', message, row.line, column);
}
