import { isSecretField, looksLikeSecretValue } from '../../model/secrets.js';
import { reject, warn, type MapContext } from './k8s-object.js';
import { arr, obj, refPartProblem, str, type Obj } from './k8s-values.js';

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** What Roster keeps of a PodSpec (core/v1): who it runs as and what it runs. */
export interface PodSpecFacts {
  /** Absent when the spec names one no k8s-ref may hold (warned). */
  readonly serviceAccount?: string;
  readonly nodeName?: string;
  readonly hostNetwork: boolean;
  readonly automountToken?: boolean;
  readonly images: readonly string[];
}

/**
 * Reads a PodSpec, at `at` (`spec` of a Pod, `spec.template.spec` of a Deployment or Job).
 * Environment values and arguments are never kept; they are only checked for secret values,
 * which are refused by field name (DESIGN.md rule 5) while the object itself still lands.
 */
export function readPodSpec(spec: Obj | undefined, at: string, ctx: MapContext): PodSpecFacts {
  const images: string[] = [];
  for (const list of CONTAINER_LISTS) {
    arr(spec?.[list]).forEach((c, i) => {
      const container = obj(c);
      if (!container) return;
      const image = str(container['image']);
      if (image !== undefined && !images.includes(image)) images.push(image);
      scanContainer(container, `${at}.${list}[${i}]`, ctx);
    });
  }
  // serviceAccount is the deprecated alias; the API server defaults both to `default`.
  const sa = linkable(str(spec?.['serviceAccountName']) ?? str(spec?.['serviceAccount']) ??
    'default', `${at}.serviceAccountName`, ctx);
  const node = linkable(str(spec?.['nodeName']), `${at}.nodeName`, ctx);
  const automount = spec?.['automountServiceAccountToken'];
  return {
    ...(sa !== undefined && { serviceAccount: sa }),
    hostNetwork: spec?.['hostNetwork'] === true,
    images,
    ...(node !== undefined && { nodeName: node }),
    ...(typeof automount === 'boolean' && { automountToken: automount }),
  };
}

function scanContainer(container: Obj, at: string, ctx: MapContext): void {
  for (const e of arr(container['env'])) {
    const env = obj(e);
    const name = str(env?.['name']) ?? '';
    const value = env?.['value'];
    if (typeof value === 'string' && (isSecretField(name, value) || looksLikeSecretValue(value))) {
      const field = `${at}.env[${name}].value`;
      const message = 'plain-text secret in an environment variable; not kept';
      reject(ctx, field, 'SECRET_REFUSED', message);
    }
  }
  for (const list of ['command', 'args'] as const) {
    arr(container[list]).forEach((a, i) => {
      if (typeof a === 'string' && isSecretArgument(a)) {
        const message = 'secret value in a container argument; not kept';
        reject(ctx, `${at}.${list}[${i}]`, 'SECRET_REFUSED', message);
      }
    });
  }
}

/** `--password=…`, `--token …` values and bare tokens (JWTs, GitHub tokens) in arguments. */
function isSecretArgument(arg: string): boolean {
  if (looksLikeSecretValue(arg)) return true;
  const eq = /^-{1,2}([A-Za-z0-9_.-]+)=(.+)$/.exec(arg);
  return eq !== null && isSecretField(eq[1]!, eq[2]!);
}

/**
 * A name the spec links to (its account, its node) goes into a `k8s-ref` target: one that
 * could spell another cluster's object is warned and not linked.
 */
function linkable(name: string | undefined, field: string, ctx: MapContext): string | undefined {
  const problem = name === undefined ? undefined : refPartProblem('name', name);
  if (problem) warn(ctx, field, 'INVALID_VALUE', `${problem}: not linked`);
  return problem ? undefined : name;
}
