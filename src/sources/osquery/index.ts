import type { SourceFormat } from '../format.js';
import { fleetHostsFormat } from './fleet-format.js';
import { osqueryFormat } from './osquery-format.js';

export { fleetHostsFormat, osqueryFormat };
export const ENDPOINT_FORMATS: readonly SourceFormat[] = [osqueryFormat, fleetHostsFormat];
