import { TAG, children, expectTlv, readOid, readString, type Tlv } from './der.js';
import { NAME_ATTRIBUTES } from './oids.js';

export interface DistinguishedName {
  /** One-line form in certificate order (`C=US, O=Example, CN=web`), '' when empty. */
  readonly text: string;
  /** The last common name, which is the one TLS clients have always read. */
  readonly commonName?: string;
}

/**
 * Reads an X.509 Name (RFC 5280 §4.1.2.4): a sequence of relative distinguished names, each a
 * set of type/value pairs. Values are escaped as RFC 4514 §2.4 asks, so a comma inside an
 * organisation name (`Superfish\, Inc.`) cannot be mistaken for a separator.
 */
export function readName(buf: Uint8Array, name: Tlv): DistinguishedName {
  expectTlv(buf, name, TAG.sequence, 'Name');
  const rdns: string[] = [];
  let commonName: string | undefined;
  for (const rdn of children(buf, name)) {
    expectTlv(buf, rdn, TAG.set, 'RelativeDistinguishedName');
    const parts: string[] = [];
    for (const pair of children(buf, rdn)) {
      const [type, value] = children(buf, expectTlv(buf, pair, TAG.sequence, 'attribute'));
      const oid = readOid(buf, expectTlv(buf, type, TAG.oid, 'attribute type'));
      if (!value) continue;
      const text = readString(buf, value);
      const label = NAME_ATTRIBUTES[oid] ?? oid;
      if (label === 'CN') commonName = text;
      parts.push(`${label}=${escapeValue(text)}`);
    }
    if (parts.length > 0) rdns.push(parts.join('+'));
  }
  const text = rdns.join(', ');
  return commonName === undefined ? { text } : { text, commonName };
}

function escapeValue(v: string): string {
  const inner = v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`);
  return inner.replace(/^[ #]/, (c) => `\\${c}`).replace(/ $/, '\\ ');
}
