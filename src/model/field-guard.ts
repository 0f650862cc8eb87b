/**
 * The one check every observation passes before it is stored, whatever format produced it
 * (DESIGN.md rule 5 and hostile input): no string of it — source id, scope, key, attribute name
 * or value, relation target — may hold a secret, and none may be longer than the limits.
 * Messages name the field and the kind of secret, never the value.
 */
import { isSecretField } from './secrets.js';
import { findSecret, isAwsSecretShape, secretKindIn } from './secret-shapes.js';
import { familyPrefix } from './scopes.js';
import type { Observation } from './types.js';

export interface FieldLimits {
  /** Longest key value (and source id, scope), in characters. */
  readonly maxKeyLength: number;
  /** Longest other string value, in characters. */
  readonly maxValueLength: number;
}

export const DEFAULT_FIELD_LIMITS: FieldLimits = { maxKeyLength: 1024, maxValueLength: 65_536 };

export interface FieldProblem {
  readonly field: string;
  readonly code: 'SECRET_VALUE' | 'VALUE_TOO_LONG' | 'BAD_SCOPE';
  readonly message: string;
}

// A field named like this holding a 40-character base64-ish run is an AWS secret access key.
const KEYISH_NAME = /secret|private|credential|passw|(^|[_.-])key$/i;
const IDENTIFIER_NAME = /(^|[_.-])(id|ids|keyid|key_id|fingerprint|serial|accessor|thumbprint)$/i;

/** The first problem of an observation, or undefined when every string of it may be stored. */
export function checkObservation(o: Observation, limits: FieldLimits): FieldProblem | undefined {
  return (
    checkKey('sourceId', o.sourceId, limits) ??
    checkScope(o.scope, limits) ??
    checkKeys(o, limits) ??
    checkAttributes(o, limits) ??
    checkRelations(o, limits)
  );
}

function checkKeys(o: Observation, limits: FieldLimits): FieldProblem | undefined {
  for (const k of o.keys) {
    const p = checkKey(`key ${k.type}`, k.value, limits);
    if (p) return p;
  }
  return undefined;
}

function checkRelations(o: Observation, limits: FieldLimits): FieldProblem | undefined {
  for (const r of o.relations ?? []) {
    const p = checkKey(`relation ${r.type} → ${r.target.type}`, r.target.value, limits);
    if (p) return p;
  }
  return undefined;
}

function checkAttributes(o: Observation, limits: FieldLimits): FieldProblem | undefined {
  for (const name in o.attributes) {
    const p = checkName(name, limits);
    if (p) return p;
    const v = o.attributes[name];
    if (typeof v === 'string') {
      const q = checkValue(name, v, limits);
      if (q) return q;
    } else if (Array.isArray(v)) {
      for (const item of v as readonly string[]) {
        const q = checkValue(name, item, limits);
        if (q) return q;
      }
    }
  }
  return undefined;
}

/**
 * An attribute name is a field name too: when it holds a secret (a label key
 * `db_password=Hunter2Pass99`), the field is reported by its safe prefix only.
 */
function checkName(name: string, limits: FieldLimits): FieldProblem | undefined {
  const found = findSecret(name);
  if (!found) return checkKey(`attribute name ${name.slice(0, 64)}`, name, limits);
  const field = `attribute name ${name.slice(0, Math.min(found.start, 64))}…`;
  return {
    field,
    code: 'SECRET_VALUE',
    message: `${field}: the name itself holds what looks like ${found.kind}; Roster never ` +
      'stores secret values, the row is refused',
  };
}

/**
 * A scope ending in `/*` names a family of scopes, which a complete run covers whole: a record
 * placed in one (by a `--scope acme/*`) would let that run mark every scope below it missing.
 */
function checkScope(scope: string, limits: FieldLimits): FieldProblem | undefined {
  const p = checkKey('scope', scope, limits);
  if (p || familyPrefix(scope) === undefined) return p;
  return {
    field: 'scope',
    code: 'BAD_SCOPE',
    message: `scope '${scope.slice(0, 200)}' ends in /*, which names a family of scopes, ` +
      'not one a record can belong to; the row is refused (give another --scope)',
  };
}

function checkKey(field: string, value: string, limits: FieldLimits): FieldProblem | undefined {
  if (value.length > limits.maxKeyLength) return tooLong(field, value, limits.maxKeyLength);
  return secretIn(field, value);
}

/**
 * One text an operator typed (an owner, a purpose, a reason), by the rule a row's attribute
 * value is checked by: what lifecycle commands refuse before anything of a decision is kept.
 */
export function checkText(
  field: string,
  value: string,
  limits: FieldLimits = DEFAULT_FIELD_LIMITS,
): FieldProblem | undefined {
  return checkValue(field, value, limits);
}

function checkValue(field: string, value: string, limits: FieldLimits): FieldProblem | undefined {
  if (value.length > limits.maxValueLength) return tooLong(field, value, limits.maxValueLength);
  const p = secretIn(field, value);
  if (p) return p;
  if (value.length < 8) return undefined;
  const leaf = field.slice(field.lastIndexOf('.') + 1);
  if (isSecretField(leaf, value)) {
    return secret(field, 'a secret (its field is named like one)');
  }
  const keyish = KEYISH_NAME.test(leaf) && !IDENTIFIER_NAME.test(leaf);
  if (keyish && isAwsSecretShape(value.trim(), false)) {
    return secret(field, 'an AWS secret access key');
  }
  return undefined;
}

function secretIn(field: string, value: string): FieldProblem | undefined {
  const kind = secretKindIn(value);
  return kind ? secret(field, kind) : undefined;
}

function secret(field: string, kind: string): FieldProblem {
  return {
    field,
    code: 'SECRET_VALUE',
    message: `${field} looks like ${kind}; Roster never stores secret values, the row is refused`,
  };
}

function tooLong(field: string, value: string, max: number): FieldProblem {
  return {
    field,
    code: 'VALUE_TOO_LONG',
    message: `${field} is ${value.length} characters long, more than the limit of ${max}`,
  };
}
