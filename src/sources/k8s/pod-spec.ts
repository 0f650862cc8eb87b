import { isSecretField, looksLikeSecretValue } from '../../model/secrets.js';
import { reject, type MapContext } from './k8s-object.js';
import { arr, obj, str, type Obj } from './k8s-values.js';

const CONTAINER_LISTS = ['initContainers', 'containers', 'ephemeralContainers'] as const;

/** What Roster keeps of a PodSpec (core/v1): who it runs as and what it runs. */
export interface PodSpecFacts {
  readonly serviceAccount: string;
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
  const sa = str(spec?.['serviceAccountName']) ?? str(spec?.['serviceAccount']) ?? 'default';
  const automount = spec?.['automountServiceAccountToken'];
  return {
    serviceAccount: sa,
    hostNetwork: spec?.['hostNetwork'] === true,
    images,
    ...(str(spec?.['nodeName']) !== undefined && { nodeName: str(spec?.['nodeName'])! }),
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
