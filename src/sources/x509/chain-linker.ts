import { signedBy, type CertificateFacts } from './certificate-facts.js';

/** A certificate read from an input, with where it was. */
export interface ReadCertificate {
  readonly facts: CertificateFacts;
  readonly der: Uint8Array;
  readonly line: number;
}

/** A certificate ready to report, with its issuer's SHA-256 when that is in the same input. */
export interface LinkedCertificate extends ReadCertificate {
  readonly issuer?: string;
}

/**
 * Finds each certificate's issuer among the certificates of the same input: the issuer's
 * subject Name equals the certificate's issuer Name byte for byte (RFC 5280 §7.1) and its key
 * verifies the signature. Chains are usually written leaf first, so a certificate whose issuer
 * has not been read yet waits; everything else is handed out at once.
 */
export class ChainLinker {
  readonly #bySubject = new Map<string, ReadCertificate[]>();
  readonly #waiting = new Map<string, ReadCertificate[]>();

  /** Adds a certificate; returns the certificates that are now ready, in input order. */
  add(cert: ReadCertificate): LinkedCertificate[] {
    const ready: LinkedCertificate[] = [];
    const { facts } = cert;
    if (facts.selfSigned) ready.push(cert);
    else {
      const issuer = this.#issuerOf(cert);
      if (issuer) ready.push({ ...cert, issuer: issuer.facts.sha256 });
      else this.#wait(cert);
    }
    const peers = this.#bySubject.get(facts.subjectDer) ?? [];
    this.#bySubject.set(facts.subjectDer, [...peers, cert]);
    ready.push(...this.#release(cert));
    return ready.sort((a, b) => a.line - b.line);
  }

  /** The certificates whose issuer never came, in input order. */
  rest(): LinkedCertificate[] {
    const all = [...this.#waiting.values()].flat();
    this.#waiting.clear();
    return all.sort((a, b) => a.line - b.line);
  }

  #issuerOf(cert: ReadCertificate): ReadCertificate | undefined {
    const candidates = this.#bySubject.get(cert.facts.issuerDer) ?? [];
    return candidates.find((c) => isIssuer(cert, c));
  }

  #wait(cert: ReadCertificate): void {
    const list = this.#waiting.get(cert.facts.issuerDer) ?? [];
    this.#waiting.set(cert.facts.issuerDer, [...list, cert]);
  }

  #release(issuer: ReadCertificate): LinkedCertificate[] {
    const waiting = this.#waiting.get(issuer.facts.subjectDer);
    if (!waiting) return [];
    const released = waiting.filter((c) => isIssuer(c, issuer));
    const still = waiting.filter((c) => !released.includes(c));
    if (still.length > 0) this.#waiting.set(issuer.facts.subjectDer, still);
    else this.#waiting.delete(issuer.facts.subjectDer);
    return released.map((c) => ({ ...c, issuer: issuer.facts.sha256 }));
  }
}

/** When node:crypto cannot check the algorithm, matching names are taken as enough. */
function isIssuer(cert: ReadCertificate, candidate: ReadCertificate): boolean {
  if (candidate.facts.sha256 === cert.facts.sha256) return false;
  return signedBy(cert.der, candidate.der) !== false;
}
