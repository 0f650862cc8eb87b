import { normalizeKey } from '../../model/keys.js';
import type { Key, KeyType } from '../../model/types.js';
import { isObject, type JsonObject } from './json-document.js';
import type { RecordIssues } from './record-issues.js';

/**
 * Collects an instance's network names as keys: DNS names, IPv4/IPv6 addresses and MAC
 * addresses, from the instance itself and each of its network interfaces (EC2 API reference,
 * `Instance` and `InstanceNetworkInterface`). An address that is not one is reported with the
 * field it came from; the instance still lands.
 */
export function addressKeys(inst: JsonObject, issues: RecordIssues): Key[] {
  const found: [KeyType, string, unknown][] = [
    ['hostname', 'PrivateDnsName', inst['PrivateDnsName']],
    ['hostname', 'PublicDnsName', inst['PublicDnsName']],
    ['ip', 'PrivateIpAddress', inst['PrivateIpAddress']],
    ['ip', 'PublicIpAddress', inst['PublicIpAddress']],
    ['ip', 'Ipv6Address', inst['Ipv6Address']],
  ];
  objects(inst['NetworkInterfaces']).forEach((eni, i) => {
    found.push(...interfaceFields(eni, `NetworkInterfaces[${i}]`));
  });
  return toKeys(found, issues);
}

function interfaceFields(eni: JsonObject, at: string): [KeyType, string, unknown][] {
  const out: [KeyType, string, unknown][] = [
    ['mac', `${at}.MacAddress`, eni['MacAddress']],
    ['hostname', `${at}.PrivateDnsName`, eni['PrivateDnsName']],
    ['ip', `${at}.PrivateIpAddress`, eni['PrivateIpAddress']],
    ...associationFields(eni['Association'], `${at}.Association`),
  ];
  objects(eni['PrivateIpAddresses']).forEach((a, j) => {
    const p = `${at}.PrivateIpAddresses[${j}]`;
    out.push(['hostname', `${p}.PrivateDnsName`, a['PrivateDnsName']]);
    out.push(['ip', `${p}.PrivateIpAddress`, a['PrivateIpAddress']]);
    out.push(...associationFields(a['Association'], `${p}.Association`));
  });
  objects(eni['Ipv6Addresses']).forEach((a, j) => {
    out.push(['ip', `${at}.Ipv6Addresses[${j}].Ipv6Address`, a['Ipv6Address']]);
  });
  return out;
}

function associationFields(raw: unknown, at: string): [KeyType, string, unknown][] {
  if (!isObject(raw)) return [];
  return [
    ['hostname', `${at}.PublicDnsName`, raw['PublicDnsName']],
    ['ip', `${at}.PublicIp`, raw['PublicIp']],
  ];
}

function toKeys(found: readonly [KeyType, string, unknown][], issues: RecordIssues): Key[] {
  const keys = new Map<string, Key>();
  const reported = new Set<string>();
  for (const [type, field, raw] of found) {
    if (typeof raw !== 'string' || raw.trim() === '') continue;
    const key = normalizeKey(type, raw);
    if (key) keys.set(`${key.type}:${key.value}`, key);
    else if (!reported.has(raw)) {
      // The same bad value often repeats on the interface: one warning, at its first field.
      reported.add(raw);
      const code = type === 'ip' ? 'INVALID_IP' : 'INVALID_VALUE';
      issues.warn(code, field, `'${raw}' is not a valid ${type}; left out of the keys`);
    }
  }
  return [...keys.values()];
}

function objects(raw: unknown): JsonObject[] {
  return Array.isArray(raw) ? raw.filter(isObject) : [];
}
