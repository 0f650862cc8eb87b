import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../app.js';
import { judgeStore } from '../../judge/judge-store.js';
import { fixedClock } from '../../model/time.js';
import { ingest } from '../../reconcile/ingest.js';
import { textInput } from '../read-file.js';
import { awsIamCli } from './iam-cli.js';

const ACCOUNT = '210987654321';
const ARN = `arn:aws:iam::${ACCOUNT}:user/svc-deploy`;
const AS_OF = '2026-12-01T06:00:00.000Z';
const NOW = '2026-12-02T00:00:00.000Z';
const KEY = 'AKIAEXAMPLEDEPL00001';

let app: App;

async function run(doc: unknown, name: string, scope?: string) {
  const result = await ingest(app.store, awsIamCli, textInput(name, JSON.stringify(doc)), {
    asOf: AS_OF, rules: app.config.precedence, clock: fixedClock(AS_OF),
    ...(scope ? { scope } : {}),
  });
  expect(result.rejections).toEqual([]);
}

const findings = async (kind: string) =>
  (await judgeStore(app.store, app.config.judge, NOW)).filter((f) => f.kind === kind);

beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'roster-iam-judge-'));
  writeFileSync(join(dir, 'roster.config.yaml'), '');
  app = await openApp({ db: join(dir, 'roster.db'), config: join(dir, 'roster.config.yaml') });
  await run({ Users: [{ UserName: 'svc-deploy', Path: '/', UserId: 'AIDAEXAMPLEDEPL00001',
    Arn: ARN, CreateDate: '2024-01-01T00:00:00Z',
    PasswordLastUsed: '2026-11-28T09:15:00+00:00' }] }, 'users.json');
  await run({ AccessKeyMetadata: [{ UserName: 'svc-deploy', AccessKeyId: KEY, Status: 'Active',
    CreateDate: '2026-01-05T00:00:00Z' }] }, 'keys.json', ACCOUNT);
});

afterEach(async () => app.close());

describe('aws-iam-cli facts in judgements', () => {
  it('finds human use of a service user once its login profile lands on the user', async () => {
    expect(await findings('human-use-of-nhi')).toEqual([]);
    await run({ LoginProfile: { UserName: 'svc-deploy', CreateDate: '2024-01-02T00:00:00Z' } },
      'login.json', `aws:${ACCOUNT}`);
    const [finding] = await findings('human-use-of-nhi');
    expect(finding?.subject).toMatchObject({ type: 'identity', name: 'svc-deploy' });
    expect(finding?.evidence.map((e) => [e.field, e.value])).toEqual([
      ['identityType', 'service'], ['passwordEnabled', true],
      ['passwordLastUsedAt', '2026-11-28T09:15:00.000Z']]);
  });

  it('judges a key unused by the date get-access-key-last-used gives it', async () => {
    await run({ UserName: 'svc-deploy', AccessKeyLastUsed: { LastUsedDate:
      '2026-05-01T00:00:00Z', ServiceName: 's3', Region: 'eu-west-1' } }, `${KEY}.json`);
    const [unused] = await findings('unused-credential');
    expect(unused?.message).toBe(`svc-deploy access key ${KEY} has not been used for 215 days ` +
      '(limit 90)');
    await run({ UserName: 'svc-deploy', AccessKeyLastUsed: { LastUsedDate:
      '2026-11-30T00:00:00Z', ServiceName: 's3', Region: 'eu-west-1' } }, `${KEY}-2.json`);
    expect(await findings('unused-credential')).toEqual([]);
  });
});
