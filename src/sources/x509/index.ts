import type { SourceFormat } from '../format.js';
import { x509Certificates } from './x509-format.js';

export { x509Certificates } from './x509-format.js';
export { certificateFacts, signedBy, type CertificateFacts } from './certificate-facts.js';
export { certificateAttributes, certificateObservation } from './certificate-observation.js';

/** The X.509 formats, for the registry. */
export const X509_FORMATS: readonly SourceFormat[] = [x509Certificates];
