import { describe, expect, it } from 'vitest';
import { fileInput } from '../../src/sources/read-file.js';
import { detectFormat } from '../../src/sources/registry.js';
import { spireAgents, spireBundle, spireEntries } from '../../src/sources/spire/index.js';
import { corpusFiles, corpusPath, hasCorpus } from '../helpers/corpus.js';
import { parseFile } from '../helpers/parse.js';

const FOLDER = 'spire';
const path = (file: string) => corpusPath(FOLDER, file);
const TD2_CA = '5e861d482456fb927e33532ba8eecb54210d9dba58032a1a24dc8ac257ace0ec';
const TD1_CA = '14e22846c9e336a6a661a133258707e7c7b5bb1cdbf8121bf25125da5a6255c4';

describe.skipIf(!hasCorpus)('spire formats on the real corpus', () => {
  it('detects and reads every file without a crash or a rejection', async () => {
    const files = corpusFiles(FOLDER);
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const file of files) {
      const format = detectFormat(fileInput(file));
      expect(format.source, file).toBe('spire');
      const r = await parseFile(format, file);
      expect(r.rejections, file).toEqual([]);
    }
  });

  it('reads bundle show: the td2 root CA and its JWT authority', async () => {
    const p = await parseFile(spireBundle, path('cofidectl_bundle-show.json'));
    const ca = p.observations.find((o) => o.sourceId === TD2_CA)!;
    expect(ca).toMatchObject({
      scope: 'spire:td2',
      keys: [{ type: 'x509-sha256', value: TD2_CA }],
      attributes: {
        credentialType: 'trust-bundle-ca',
        trustDomain: 'td2',
        serial: 'BE91BBBF765A2E40847861DFCED24D12',
        notBefore: '2025-02-07T15:58:55.000Z',
        expiresAt: '2025-02-08T03:59:05.000Z',
        spiffeId: 'spiffe://td2',
        subject:
          'C=UK, O=Cofide, CN=cofide.io, serialNumber=253310010223424741846397376404313492754',
        keySize: 2048,
        isCa: true,
      },
    });
    const jwt = p.observations.find((o) => o.attributes['class'] === 'spire-jwt-authority')!;
    expect(jwt.keys).toEqual([
      { type: 'key-id', value: 'spire-jwt-authority:td2:sHYIGH99d7NhlAVufX9a9e0D9HMPGCQw' },
    ]);
    // expires_at "1738987145"
    expect(jwt.attributes['expiresAt']).toBe('2025-02-08T03:59:05.000Z');
    expect(p.meta).toEqual({ scopes: ['spire:td2'], complete: true });
  });

  it('reads the expired td1 CA the same from bundle show and from bundle list', async () => {
    const show = await parseFile(spireBundle, path('cofidectl_bundle-show_td1.json'));
    const list = await parseFile(spireBundle, path('cofidectl_bundle-list.json'));
    for (const p of [show, list]) {
      const ca = p.observations.find((o) => o.sourceId === TD1_CA)!;
      expect(ca.attributes).toMatchObject({
        trustDomain: 'td1',
        notBefore: '2024-11-20T20:48:36.000Z',
        expiresAt: '2024-11-21T08:48:46.000Z',
      });
    }
    // bundle list writes expires_at "0" for the same key: no expiry, never 1970
    const listed = list.observations.find((o) => o.attributes['class'] === 'spire-jwt-authority')!;
    expect(listed.attributes['expiresAt']).toBeUndefined();
    expect(list.meta).toEqual({ scopes: ['spire:td1'], complete: true });
  });

  it('reads entry create -data entries with URI-string IDs as a partial run', async () => {
    const p = await parseFile(spireEntries, path('spire-fixture_registration_good.json'));
    expect(p.observations.map((o) => o.keys[0]?.value)).toEqual([
      'spiffe://example.org/Blog',
      'spiffe://example.org/Database',
      'spiffe://example.org/storesvid',
      'spiffe://example.org/additionalattr',
    ]);
    expect(p.observations[0]?.attributes).toMatchObject({
      'spire.admin': true,
      'spire.x509SvidTtl': 200,
      'spire.jwtSvidTtl': 30,
      parentId: 'spiffe://example.org/spire/agent/join_token/TokenBlog',
    });
    expect(p.observations[1]?.attributes['spire.hint']).toBe('internal');
    expect(p.warnings.map((w) => w.field)).toEqual(['additional_attributes']);
    expect(p.meta).toEqual({ scopes: ['spire:example.org'], complete: false });
  });

  it('reads the older response-keyed dump once per entry id', async () => {
    const file = path('spire-fixture_registration_manager_test_entries.json');
    const p = await parseFile(spireEntries, file);
    expect(p.observations.map((o) => o.sourceId)).toEqual(['0001', '0002', '0003', '0005', '0006']);
    const federated = p.observations[4]?.attributes['spire.federatesWith'];
    expect(federated).toEqual(['spiffe://otherdomain.test']);
    expect(p.warnings.filter((w) => w.code === 'DUPLICATE_RECORD')).toHaveLength(5);
    expect(p.meta.complete).toBe(false);
  });

  it('reads the agent list outputs: one agent, no SVID yet, not banned', async () => {
    for (const file of ['spire-test_agent-list_one.json', 'spire-test_agent-list_banned.json']) {
      const p = await parseFile(spireAgents, path(file));
      expect(p.observations, file).toHaveLength(1);
      // The "banned" fixture holds the same agent as list_one: banned false, can_reattest true.
      expect(p.observations[0]).toMatchObject({
        kind: 'asset',
        sourceId: 'spiffe://example.org/spire/agent/agent1',
        attributes: {
          banned: false,
          runState: 'running',
          'spire.canReattest': true,
          'spire.agentVersion': '1.00.0-dev-qwerty',
        },
      });
      // x509svid_expires_at "0" and an empty serial: no SVID facts, no credential
      expect(p.observations[0]?.attributes['svidExpiresAt']).toBeUndefined();
      expect(p.meta).toEqual({ scopes: ['spire:example.org'], complete: true });
    }
  });

  it('reads an empty agent list as nothing, retiring nothing', async () => {
    const p = await parseFile(spireAgents, path('spire-test_agent-list_empty.json'));
    expect(p.observations).toEqual([]);
    expect(p.meta).toEqual({ scopes: [], complete: false });
  });

  it('links a k8s_psat agent to its service account in its cluster', async () => {
    const p = await parseFile(spireAgents, path('spire-test_agent-show_k8s_psat_selectors.json'));
    const agent = p.observations[0]!;
    expect(agent.sourceId).toBe('spiffe://example.org/spire/agent/agent2');
    expect(agent.attributes['selectors']).toEqual([
      'k8s_psat:agent_ns:spire',
      'k8s_psat:agent_sa:spire-agent',
      'k8s_psat:cluster:demo-cluster',
    ]);
    expect(agent.relations).toEqual([
      {
        type: 'runs-on',
        target: { type: 'k8s-ref', value: 'demo-cluster/spire/ServiceAccount/spire-agent' },
        reverse: true,
      },
    ]);
    expect(p.meta.complete).toBe(false);
  });
});
