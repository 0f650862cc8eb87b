import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFile, parseText } from '../../../test/helpers/parse.js';
import { spireAgents } from './agents-format.js';

const fixture = (name: string) => fileURLToPath(new URL(`./testdata/${name}`, import.meta.url));
const AGENTS = 'spiffe://prod.example/spire/agent';
const AWS_AGENT = `${AGENTS}/aws_iid/123456789012/eu-west-1/i-0a1b2c3d4e5f67890`;
const K8S_AGENT = `${AGENTS}/k8s_psat/prod-eu/9c1e3a5c-7e9b-4d1f-8a3c-5e7a9c1e3a5c`;

describe('spire-agents: agent list -output json', async () => {
  const p = await parseFile(spireAgents, fixture('agents-list.json'));
  const bySource = (id: string) => p.observations.find((o) => o.sourceId === id)!;

  it('detects agent listings and shows', () => {
    const head = (f: string) => ({ path: f, head: readFileSync(fixture(f), 'utf8') });
    expect(spireAgents.detect(head('agents-list.json'))).toBe(0.9);
    expect(spireAgents.detect(head('agent-show-wrapped.json'))).toBe(0.9);
    expect(spireAgents.detect(head('entries-show.json'))).toBe(0);
  });

  it('reads an AWS agent as an asset hosted on its EC2 instance', () => {
    const agent = bySource(AWS_AGENT);
    expect(agent.kind).toBe('asset');
    expect(agent.keys).toEqual([{ type: 'spiffe-id', value: AWS_AGENT }]);
    expect(agent.attributes).toMatchObject({
      class: 'spire-agent',
      runState: 'running',
      banned: false,
      svidExpiresAt: '2026-01-01T01:00:00.000Z',
      'spire.svidSerial': '238547192345812938457192834571928345719',
      'spire.attestationType': 'aws_iid',
      selectors: ['aws_iid:tag:team:payments', 'aws_iid:az:eu-west-1b'],
    });
    expect(agent.relations).toEqual([
      { type: 'hosted-on', target: { type: 'aws-instance-id', value: 'i-0a1b2c3d4e5f67890' } },
    ]);
  });

  it('keeps a 39-digit SVID serial exact, as the key of the agent SVID credential', () => {
    const svid = bySource('spire-agent-svid:238547192345812938457192834571928345719');
    expect(svid).toMatchObject({
      kind: 'credential',
      keys: [{ type: 'key-id', value: 'spire-agent-svid:238547192345812938457192834571928345719' }],
      attributes: {
        credentialType: 'x509-certificate',
        serial: 'B37684A1783676113EDE9E7A5BF81C77',
        expiresAt: '2026-01-01T01:00:00.000Z',
      },
      relations: [{ type: 'names', target: { type: 'spiffe-id', value: AWS_AGENT } }],
    });
  });

  it('reads a banned k8s_psat agent, its node and its service account', () => {
    const agent = bySource(K8S_AGENT);
    expect(agent.attributes).toMatchObject({
      banned: true,
      runState: 'stopped',
      'spire.canReattest': false,
    });
    expect(agent.relations).toEqual([
      // The node uid is the last segment of a k8s_psat agent's SPIFFE ID.
      {
        type: 'hosted-on',
        target: { type: 'k8s-uid', value: '9c1e3a5c-7e9b-4d1f-8a3c-5e7a9c1e3a5c' },
      },
      {
        type: 'hosted-on',
        target: {
          type: 'k8s-ref',
          value: 'prod-eu//Node/ip-10-20-3-41.eu-west-1.compute.internal',
        },
      },
      {
        type: 'runs-on',
        target: { type: 'k8s-ref', value: 'prod-eu/spire/ServiceAccount/spire-agent' },
        reverse: true,
      },
    ]);
  });

  it('rejects an agent without a trust domain and lists the rest completely', () => {
    const expected = expect.objectContaining({ item: 3, field: 'id', code: 'BAD_INPUT' });
    expect(p.rejections).toEqual([expected]);
    expect(p.observations).toHaveLength(4);
    expect(p.meta).toEqual({ scopes: ['spire:prod.example'], complete: true });
  });
});

describe('spire-agents: other shapes', () => {
  it('links no node or account whose name could be another cluster\'s', async () => {
    const agent = { id: { trust_domain: 'prod.example',
      path: '/spire/agent/k8s_psat/prod/9c1e3a5c-7e9b-4d1f-8a3c-5e7a9c1e3a5c' },
    attestation_type: 'k8s_psat', selectors: [
      { type: 'k8s_psat', value: 'agent_node_name:x/Node/ip-1' },
      { type: 'k8s_psat', value: 'agent_ns:Spire' },
      { type: 'k8s_psat', value: 'agent_sa:spire-agent' },
      { type: 'k8s_psat', value: 'cluster:prod' }] };
    const p = await parseText(spireAgents, 'agents.json', JSON.stringify({ agents: [agent] }));
    const targets = (p.observations[0]!.relations ?? []).map((r) => r.target.type);
    expect(targets).toEqual(['k8s-uid']);
    expect(p.warnings.map((w) => [w.field, w.code])).toEqual([
      ['selectors', 'INVALID_VALUE'], ['selectors', 'INVALID_VALUE'],
    ]);
  });

  it('reads agent show wrapped in "agent" as a partial run', async () => {
    const p = await parseFile(spireAgents, fixture('agent-show-wrapped.json'));
    expect(p.observations.map((o) => o.kind)).toEqual(['asset', 'credential']);
    expect(p.observations[1]?.attributes['serial']).toBe('0');
    expect(p.meta).toEqual({ scopes: ['spire:prod.example'], complete: false });
  });

  it('warns that a paged listing is incomplete', async () => {
    const text = '{"agents":[],"next_page_token":"NQ"}';
    const p = await parseText(spireAgents, 'page.json', text, { scope: 'spire:prod.example' });
    expect(p.warnings.map((w) => w.code)).toEqual(['TRUNCATED_LISTING']);
    expect(p.meta).toEqual({ scopes: ['spire:prod.example'], complete: false });
  });

  it('finds the host in the selectors when the SPIFFE ID does not name it', async () => {
    const agent = (path: string, selectors: string[]) => ({
      id: { trust_domain: 'prod.example', path },
      attestation_type: 'x',
      selectors: selectors.map((s) => ({ type: s.split(':')[0], value: s.replace(/^[^:]+:/, '') })),
    });
    const text = JSON.stringify({ agents: [
      agent('/spire/agent/a1', ['aws_iid:instance:id:i-0123456789abcdef0', 'aws_iid:az:x']),
      agent('/spire/agent/a2', ['aws_iid:instance-id:i-0fedcba9876543210']),
      agent('/spire/agent/a3', ['k8s_psat:agent_node_uid:4b2d6f80-1a3c-4e5f-9a7b-0c2d4e6f8a1b']),
      agent('/spire/agent/a4', ['aws_iid:instance:id:not-an-instance']),
    ], next_page_token: '' });
    const p = await parseText(spireAgents, 'agents.json', text);
    const hosts = (id: string) =>
      p.observations.find((o) => o.sourceId === `${AGENTS}/${id}`)!.relations ?? [];
    const onAws = (value: string) =>
      [{ type: 'hosted-on', target: { type: 'aws-instance-id', value } }];
    expect(hosts('a1')).toEqual(onAws('i-0123456789abcdef0'));
    expect(hosts('a2')).toEqual(onAws('i-0fedcba9876543210'));
    expect(hosts('a3')).toEqual([{ type: 'hosted-on',
      target: { type: 'k8s-uid', value: '4b2d6f80-1a3c-4e5f-9a7b-0c2d4e6f8a1b' } }]);
    expect(hosts('a4')).toEqual([]);
  });

  it('lets an empty listing of a named trust domain be complete', async () => {
    const text = '{"agents":[],"next_page_token":""}';
    const p = await parseText(spireAgents, 'empty.json', text, { scope: 'spire:prod.example' });
    expect(p.meta).toEqual({ scopes: ['spire:prod.example'], complete: true });
  });
});
