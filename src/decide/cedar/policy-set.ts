import { createHash } from 'node:crypto';
import {
  checkParsePolicySet,
  policySetTextToParts,
  policyToJson,
  schemaToJson,
  validate,
  type DetailedError,
} from '@cedar-policy/cedar-wasm/nodejs';
import { Unsupported } from './compile-expr.js';
import { compilePolicy, type CompiledPolicy, type PolicyEst } from './compile-policy.js';
import type { PolicyTexts } from './engine.js';

export interface PolicySource {
  readonly file: string;
  readonly text: string;
}

export interface PolicyInfo {
  readonly id: string;
  readonly file: string;
  readonly effect: 'permit' | 'forbid';
  readonly annotations: Readonly<Record<string, string>>;
  readonly reads: readonly string[];
}

/** An action the schema declares, with the action groups it belongs to. */
export interface ActionInfo {
  readonly name: string;
  readonly memberOf: readonly string[];
}

/** A validated policy set, compiled where the subset allows. */
export interface PolicySet {
  readonly policies: readonly PolicyInfo[];
  readonly byId: ReadonlyMap<string, PolicyInfo>;
  /** Compiled policies, or undefined when some policy needs cedar-wasm at every decision. */
  readonly compiled: readonly CompiledPolicy[] | undefined;
  readonly fallbackReason?: string;
  readonly texts: PolicyTexts;
  readonly namespace: string;
  readonly actions: readonly ActionInfo[];
  /** SHA-256 over schema and policy texts: names the set in the decision log. */
  readonly digest: string;
}

export interface PolicyProblem {
  readonly file: string;
  readonly policyId?: string;
  /** 1-based line in `file` where Cedar places the problem, when it says. */
  readonly line?: number;
  readonly message: string;
}

export type PolicyLoad = { ok: true; set: PolicySet } | { ok: false; problems: PolicyProblem[] };

/**
 * Parses, validates (Cedar strict mode, against the schema) and compiles a policy set. Every
 * problem of every file is returned; nothing is half-loaded (DESIGN.md rule 7).
 *
 * @example loadPolicySet({ file: 'roster.cedarschema', text }, [{ file: 'default.cedar', text }])
 */
export function loadPolicySet(schema: PolicySource, files: readonly PolicySource[]): PolicyLoad {
  const problems: PolicyProblem[] = [];
  const schemaJson = schemaToJson(schema.text);
  if (schemaJson.type === 'failure') {
    return { ok: false, problems: schemaJson.errors.map((e) => problem(schema, e)) };
  }
  const texts: Record<string, string> = {};
  const infos: PolicyInfo[] = [];
  for (const f of files) problems.push(...splitFile(f, texts, infos));
  if (problems.length > 0) return { ok: false, problems };
  if (infos.length === 0) {
    return { ok: false, problems: [{ file: files.map((f) => f.file).join(', ') || '(none)',
      message: 'no policies: a decision point without policies would deny everything' }] };
  }
  const checked = validate({
    schema: schema.text,
    policies: { staticPolicies: texts },
    validationSettings: { mode: 'strict' },
  });
  if (checked.type === 'failure') {
    return { ok: false, problems: checked.errors.map((e) => problem(schema, e)) };
  }
  for (const v of checked.validationErrors) {
    const info = infos.find((i) => i.id === v.policyId);
    const source = files.find((f) => f.file === info?.file);
    // Cedar places validation errors within the policy's own text; add where it starts.
    const start = source ? at(source.text, texts[v.policyId] ?? '') : 0;
    const line = source ? lineOf(source.text, start, v.error) : undefined;
    problems.push({ file: info?.file ?? '?', policyId: v.policyId, ...(line ? { line } : {}),
      message: describe(v.error) });
  }
  if (problems.length > 0) return { ok: false, problems };
  const [namespace, actions] = actionsOf(schemaJson.json);
  return { ok: true, set: build(schema, files, texts, infos, namespace, actions) };
}

function build(
  schema: PolicySource,
  files: readonly PolicySource[],
  texts: Record<string, string>,
  infos: PolicyInfo[],
  namespace: string,
  actions: ActionInfo[],
): PolicySet {
  let compiled: CompiledPolicy[] | undefined = [];
  let fallbackReason: string | undefined;
  for (const info of infos) {
    try {
      compiled.push(compilePolicy(info.id, estOf(texts[info.id]!)));
    } catch (err) {
      if (!(err instanceof Unsupported)) throw err;
      compiled = undefined;
      fallbackReason = `${info.id}: ${err.message}`;
      break;
    }
  }
  const digest = createHash('sha256');
  for (const f of [schema, ...files]) digest.update(`${f.file}\u0000${f.text}\u0000`);
  return {
    policies: infos,
    byId: new Map(infos.map((i) => [i.id, i])),
    compiled,
    ...(fallbackReason ? { fallbackReason } : {}),
    texts,
    namespace,
    actions,
    digest: digest.digest('hex').slice(0, 16),
  };
}

/** Splits one file into policies; ids come from `@id(...)`, else `<file>#<n>`. */
function splitFile(f: PolicySource, texts: Record<string, string>, infos: PolicyInfo[]) {
  const parsed = checkParsePolicySet({ staticPolicies: f.text });
  if (parsed.type === 'failure') return parsed.errors.map((e) => problem(f, e));
  const parts = policySetTextToParts(f.text);
  if (parts.type === 'failure') return parts.errors.map((e) => problem(f, e));
  const out: PolicyProblem[] = [];
  if (parts.policy_templates.length > 0) {
    out.push({ file: f.file,
      message: 'policy templates are not supported; write static policies' });
  }
  // cedar-wasm returns the parts sorted; keep the file's order, which explanations follow.
  const ordered = [...parts.policies].sort((a, b) => at(f.text, a) - at(f.text, b));
  ordered.forEach((text, i) => {
    const est = estOf(text);
    const annotations = cleanAnnotations(est.annotations);
    const id = annotations['id'] ?? `${f.file}#${i + 1}`;
    if (texts[id] !== undefined) {
      out.push({ file: f.file, policyId: id, message: `duplicate policy id '${id}'` });
      return;
    }
    texts[id] = text;
    const reads = safeReads(id, est);
    infos.push({ id, file: f.file, effect: est.effect, annotations, reads });
  });
  return out;
}

function at(text: string, part: string): number {
  const i = text.indexOf(part);
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
}

function safeReads(id: string, est: PolicyEst): readonly string[] {
  try {
    return compilePolicy(id, est).reads;
  } catch {
    return [];
  }
}

function estOf(text: string): PolicyEst {
  const r = policyToJson(text);
  if (r.type === 'failure') throw new Error(r.errors.map((e) => e.message).join('; '));
  return r.json as unknown as PolicyEst;
}

function cleanAnnotations(a: PolicyEst['annotations']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a ?? {})) out[k] = v ?? '';
  return out;
}

function problem(source: PolicySource, e: DetailedError): PolicyProblem {
  const line = lineOf(source.text, 0, e);
  return { file: source.file, ...(line ? { line } : {}), message: describe(e) };
}

/** The 1-based line of the first source location Cedar gives, offset by `base`. */
function lineOf(text: string, base: number, e: DetailedError): number | undefined {
  const loc = e.sourceLocations?.[0];
  if (!loc || base < 0 || base === Number.MAX_SAFE_INTEGER) return undefined;
  const upTo = text.slice(0, Math.min(text.length, base + loc.start));
  return upTo.split('\n').length;
}

function describe(e: DetailedError): string {
  return e.help ? `${e.message} (${e.help})` : e.message;
}

type SchemaJson = Record<string, { actions?: Record<string, { memberOf?: { id: string }[] }> }>;

function actionsOf(json: unknown): [string, ActionInfo[]] {
  const schema = json as SchemaJson;
  const [namespace, def] = Object.entries(schema)[0] ?? ['', {}];
  const actions = Object.entries(def.actions ?? {}).map(([name, a]) => ({
    name,
    memberOf: (a.memberOf ?? []).map((m) => m.id),
  }));
  return [namespace, actions.sort((x, y) => x.name.localeCompare(y.name))];
}
