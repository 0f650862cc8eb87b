import type { SourceFormat } from '../format.js';
import { k8sObjects } from './k8s-format.js';

export { k8sObjects } from './k8s-format.js';

/** The Kubernetes formats, for the registry. */
export const K8S_FORMATS: readonly SourceFormat[] = [k8sObjects];
