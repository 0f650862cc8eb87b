import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/api-app.js';
import {
  apiGet,
  ARTEFACTS,
  chromiumMissing,
  ensureConsoleBuilt,
  ROOT,
  startEstate,
  type Estate,
} from './harness.js';

interface FindingJson {
  kind: string;
  subject: { id: string; name: string };
}

const missing = chromiumMissing();

/** How long an assertion waits for the page to catch up (the machine may be busy). */
const WAIT = { timeout: 10_000 };

// In CI a missing browser is a failure with its reason; on a developer's machine the suite is
// skipped, saying why.
if (missing && process.env['CI'] === 'true') {
  describe('console in Chromium', () => {
    it('needs Chromium', () => {
      throw new Error(missing);
    });
  });
} else if (missing) {
  console.warn(`browser tests skipped: ${missing}`);
  describe.skip('console in Chromium', () => undefined);
} else {
  describe('console in Chromium', consoleSuite);
}

function consoleSuite() {
  let estate: Estate;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    ensureConsoleBuilt();
    estate = await startEstate();
    context = await estate.browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1360, height: 900 },
    });
    page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
    });
  }, 180_000);

  // A failing step leaves a picture of the page it failed on.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail' || !page) return;
    const name = ctx.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
    await page.screenshot({ path: join(ARTEFACTS, `failed-${name}.png`), fullPage: true });
  });

  afterAll(async () => {
    await context?.close();
    await estate?.close();
  });

  const nav = (p: Page, name: string) =>
    p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  const shot = (name: string) =>
    page.screenshot({ path: join(ARTEFACTS, `${name}.png`), fullPage: true });

  it('refuses a wrong token, then signs in with the real one', async () => {
    await page.goto(estate.baseUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot('01-sign-in');

    await page
      .getByLabel('API token')
      .fill('rst_0000000000000000_notarealtokennotarealtokennotarealtoken1');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), WAIT).toContain('not accepted');

    const uploader = await issueToken(estate.stores.tokens, {
      name: 'uploader',
      scopes: ['ingest'],
      createdBy: null,
      now: new Date().toISOString(),
    });
    await page.getByLabel('API token').fill(uploader.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), WAIT).toContain("scope 'read'");

    await page.getByLabel('API token').fill(estate.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const stored = await page.evaluate('sessionStorage.getItem("roster.token")');
    expect(String(stored)).toContain(estate.token);
  });

  it('shows the example estate on the overview, with the findings chart', async () => {
    const summary = await apiGet<{ records: Record<string, number> }>(estate, '/api/v1/summary');
    expect(summary.records['asset']).toBe(9);
    const stat = page.locator('.stat', { hasText: 'assets' });
    await expect.poll(() => stat.locator('.stat-value').textContent(), WAIT).toBe('9');
    const open = page.locator('.stat', { hasText: 'open findings' }).locator('.stat-value');
    await expect.poll(() => open.textContent(), WAIT).toBe('20');
    await page.locator('.chart-canvas canvas').first().waitFor();
    const unowned = page.locator('.attention a', { hasText: 'Unowned asset' });
    expect(await unowned.locator('.attention-count').textContent()).toBe('2');
    // Admission is counted for assets and identities only.
    const byAdmission = page.getByRole('region', { name: 'By admission' });
    expect(await byAdmission.locator('thead th.num').allTextContents()).toEqual([
      'Asset',
      'Identity',
    ]);
    await shot('02-overview');
  });

  it('finds a record by one of its keys', async () => {
    await nav(page, 'Inventory');
    await page.getByRole('heading', { name: 'Inventory', level: 1 }).waitFor();
    await page.getByLabel('Search').fill('i-0a1b2c3d4e5f60718');
    await page.getByLabel('Search').press('Enter');
    await expect.poll(() => page.url(), WAIT).toContain('q=i-0a1b2c3d4e5f60718');
    const rows = page.locator('table[aria-label="Records"] tbody tr');
    await expect.poll(() => rows.count(), WAIT).toBe(1);
    expect(await rows.first().locator('.name-cell').textContent()).toBe('web-prod-01');
    expect(await rows.first().locator('.key-match').textContent()).toContain('i-0a1b2c3d4e5f60718');
    await shot('03-inventory-search');
  });

  it('pages through the inventory with next and previous, and filters by kind', async () => {
    await page.goto(`${estate.baseUrl}/inventory`);
    const rows = page.locator('table[aria-label="Records"] tbody tr');
    const names = () => rows.locator('.name-cell').allTextContents();
    const summary = await apiGet<{ records: Record<string, number> }>(estate, '/api/v1/summary');
    const total = Object.values(summary.records).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(25);
    expect(total).toBeLessThanOrEqual(50);
    await expect.poll(() => rows.count(), WAIT).toBe(total);
    const all = await names();
    expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);

    // 25 a page: the first page, then the rest by the API's cursor, then back again.
    await page.getByLabel('Rows').selectOption('25');
    await expect.poll(() => rows.count(), WAIT).toBe(25);
    expect(await names()).toEqual(all.slice(0, 25));
    await page.getByRole('button', { name: 'Next →' }).click();
    await expect.poll(() => rows.count(), WAIT).toBe(total - 25);
    expect(await names()).toEqual(all.slice(25));
    expect(await page.getByRole('button', { name: 'Next →' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: '← Previous' }).click();
    await expect.poll(names, WAIT).toEqual(all.slice(0, 25));
    expect(await page.getByRole('button', { name: '← Previous' }).isDisabled()).toBe(true);

    await page.getByLabel('Kind').selectOption('credential');
    await expect.poll(() => rows.count(), WAIT).toBe(summary.records['credential']);
    const kinds = await page
      .locator('table[aria-label="Records"] tbody tr td:nth-child(2)')
      .allTextContents();
    expect(new Set(kinds)).toEqual(new Set(['Credential']));
  });

  it('"Unowned only" lists unowned assets and identities; owners have no admission', async () => {
    await page.goto(`${estate.baseUrl}/inventory`);
    const rows = page.locator('table[aria-label="Records"] tbody tr');
    const summary = await apiGet<{ records: Record<string, number> }>(estate, '/api/v1/summary');
    const total = Object.values(summary.records).reduce((a, b) => a + b, 0);
    await expect.poll(() => rows.count(), WAIT).toBe(total);
    // Owners and credentials carry no admission badge; assets do.
    const cells = (kind: string, col: number) =>
      rows.filter({ has: page.locator('td:nth-child(2)', { hasText: kind }) })
        .locator(`td:nth-child(${col})`).allTextContents();
    expect(new Set(await cells('Owner', 3))).toEqual(new Set(['—']));
    expect(new Set(await cells('Credential', 3))).toEqual(new Set(['—']));
    expect(await cells('Asset', 3)).toContain('approved');

    await page.getByLabel('Unowned only').check();
    await expect.poll(() => rows.count(), WAIT).toBeLessThan(total);
    const kinds = await rows.locator('td:nth-child(2)').allTextContents();
    expect(kinds.every((k) => k === 'Asset' || k === 'Identity'), kinds.join()).toBe(true);
    const assets = await rows
      .filter({ has: page.locator('td:nth-child(2)', { hasText: /^Asset$/ }) })
      .locator('.name-cell')
      .allTextContents();
    expect(assets.sort()).toEqual(['bi-scratch-01', 'legacy-ftp-01']);
    await shot('03b-inventory-unowned');
  });

  it("shows a record with every attribute's source, as-of time and conflicts", async () => {
    await page.goto(`${estate.baseUrl}/inventory?q=web-prod-01`);
    await page.getByRole('link', { name: 'web-prod-01', exact: true }).click();
    await page.getByRole('heading', { name: 'web-prod-01', level: 1 }).waitFor();
    const env = page.locator('table[aria-label="Attributes and provenance"] tr', {
      has: page.locator('th code', { hasText: /^environment$/ }),
    });
    await env.waitFor();
    const cells = await env.locator('td').allTextContents();
    expect(cells[0]).toBe('production');
    expect(cells[1]).toContain('cmdb');
    expect(cells[1]).toContain('servicenow-cmdb');
    expect(cells[2]).toBe('2026-11-30 07:00 UTC');
    expect(cells[3]).toContain('aws says staging');
    expect(cells[3]).toContain('2026-11-30 06:00 UTC');
    const runState = page.locator('table[aria-label="Attributes and provenance"] tr', {
      has: page.locator('th code', { hasText: /^runState$/ }),
    });
    expect((await runState.locator('td').allTextContents()).slice(0, 3)).toEqual([
      'running',
      'awsaws-ec2-instances',
      '2026-11-30 06:00 UTC',
    ]);
    await page.getByRole('cell', { name: 'web-prod-role' }).waitFor();
    await page.locator('.finding', { hasText: 'Conflicting attributes' }).first().waitFor();
    await page.locator('.timeline li', { hasText: 'Record added' }).waitFor();
    // The Relations and Keys panels are readable: dark text on a light panel, not the
    // header's light text (a class shared with the header once made them unreadable).
    const keyCell = page.getByRole('region', { name: 'Keys' }).locator('td').first();
    expect(await contrastOf(keyCell)).toBeGreaterThan(4.5);
    const relation = page.getByRole('cell', { name: 'web-prod-role' });
    expect(await contrastOf(relation)).toBeGreaterThan(4.5);
    await shot('04-record');
  });

  it('draws the graph around the record; a node opens its record', async () => {
    await page.getByRole('link', { name: 'Graph around this record' }).click();
    await page.getByRole('heading', { name: 'Around web-prod-01' }).waitFor();
    const canvas = page.locator('#graph-canvas');
    await expect.poll(() => canvas.getAttribute('data-nodes'), WAIT).not.toBeNull();
    const nodes = Number(await canvas.getAttribute('data-nodes'));
    expect(nodes).toBeGreaterThan(2);
    expect(await canvas.locator('canvas').count()).toBeGreaterThan(0);
    const table = page.locator('table[aria-label="Records in this graph"]');
    for (const name of ['web-prod-01', 'Maria Okafor', 'platform-team', 'web-prod-role']) {
      await table.getByRole('link', { name, exact: true }).waitFor();
    }
    expect(await table.locator('tbody tr').count()).toBe(nodes);
    await shot('05-graph');

    // Cytoscape keeps its instance on the container; click where it drew the role's node.
    const at = (await page.evaluate(`(() => {
      const cy = document.getElementById('graph-canvas')._cyreg.cy;
      const node = cy.nodes().filter((n) => n.data('label') === 'web-prod-role')[0];
      return node.renderedPosition();
    })()`)) as { x: number; y: number };
    const box = (await canvas.boundingBox())!;
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await page.getByRole('heading', { name: 'web-prod-role', level: 1 }).waitFor();
    expect(page.url()).toMatch(/\/records\/idn_/);
  });

  it('filters findings by kind and shows their subjects, evidence and references', async () => {
    const api = await apiGet<{ items: FindingJson[] }>(
      estate,
      '/api/v1/findings?kind=orphaned-credential&limit=500',
    );
    const expected = api.items.map((f) => f.subject.name).sort();
    expect(expected).toEqual(['svc-legacy-sync access key 1', 'svc-reportgen access key 1']);

    await nav(page, 'Findings');
    await page.getByRole('heading', { name: 'Findings', level: 1 }).waitFor();
    const open = await apiGet<{ items: unknown[] }>(estate, '/api/v1/findings?limit=500');
    const shown = Math.min(25, open.items.length);
    await expect.poll(() => page.locator('li.finding').count(), WAIT).toBe(shown);
    await page.getByLabel('Kind').selectOption('orphaned-credential');
    await expect.poll(() => page.url(), WAIT).toContain('kind=orphaned-credential');
    const items = page.locator('li.finding');
    await expect.poll(() => items.count(), WAIT).toBe(expected.length);
    const kinds = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(new Set(kinds)).toEqual(new Set(['orphaned-credential']));
    const subjects = await items.evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-subject')),
    );
    expect(subjects.sort()).toEqual(expected);
    const refs = await items.first().locator('.refs li').allTextContents();
    expect(refs.join(' | ')).toContain('OWASP NHI1');
    expect(refs.join(' | ')).toContain('Improper Offboarding');
    expect(refs.join(' | ')).toContain('CSF 2.0 ID.AM-08');
    await items.first().locator('summary').click();
    const evidence = items.first().locator('table.evidence tbody tr');
    // active, belongs-to, and the retired host: runs-on, admission, lifecycle (cmdb).
    await expect.poll(() => evidence.count(), WAIT).toBe(5);
    // Evidence that names a record links it by name: the credential, its identity, the host.
    await expect
      .poll(() => evidence.locator('a').allTextContents(), WAIT)
      .toEqual(expect.arrayContaining(
        ['svc-reportgen', 'svc-reportgen access key 1', 'report-gen-02']));
    await shot('06-findings-orphaned');
  });

  it('exports the filtered findings as CSV', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('roster-findings-orphaned-credential.csv');
    const file = join(ARTEFACTS, download.suggestedFilename());
    await download.saveAs(file);
    const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['subject_name']).sort()).toEqual([
      'svc-legacy-sync access key 1',
      'svc-reportgen access key 1',
    ]);
    expect(new Set(rows.map((r) => r['kind']))).toEqual(new Set(['orphaned-credential']));
    expect(rows.every((r) => r['references']!.includes('OWASP-NHI1:2025'))).toBe(true);
  });

  it('lists decisions with outcome and explanation, and on the record they name', async () => {
    const pep = await issueToken(estate.stores.tokens, {
      name: 'pep', scopes: ['decide'], createdBy: null, now: new Date().toISOString(),
    });
    const outcomes: boolean[] = [];
    for (const f of ['backup-reads-print-server.json', 'retired-host-reads-backup.json']) {
      const res = await fetch(`${estate.baseUrl}/access/v1/evaluation`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${pep.token}` },
        body: readFileSync(join(ROOT, 'examples', 'decide', f), 'utf8'),
      });
      expect(res.status).toBe(200);
      outcomes.push(((await res.json()) as { decision: boolean }).decision);
    }
    expect(outcomes).toEqual([true, false]);

    await nav(page, 'Decisions');
    await page.getByRole('heading', { name: 'Decisions', level: 1 }).waitFor();
    const items = page.locator('li.decision');
    await expect.poll(() => items.count(), WAIT).toBe(2);
    // Newest first: the retired host's denied read, then the permitted one.
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-outcome'))))
      .toEqual(['false', 'true']);
    await page.getByLabel('Outcome').selectOption('deny');
    await expect.poll(() => items.count(), WAIT).toBe(1);
    const deny = items.first();
    expect(await deny.locator('.reasons').textContent()).toContain('subject-retired');
    await deny.locator('summary').click();
    expect(await deny.locator('.explanation table tbody tr').count()).toBeGreaterThan(0);
    expect(await deny.locator('.explanation').textContent()).toContain('deny-retired-subject');
    await shot('07-decisions');

    await page.goto(`${estate.baseUrl}/records/i-0d4e5f60718293a41`);
    await page.getByRole('heading', { name: 'report-gen-02', level: 1 }).waitFor();
    const onRecord = page.locator('section[aria-labelledby="s-decisions"] li.decision');
    await expect.poll(() => onRecord.count(), WAIT).toBe(1);
    expect(await onRecord.getAttribute('data-outcome')).toBe('false');
  });

  it('shows what hangs off a retired machine in its graph', async () => {
    await page.getByRole('link', { name: 'Graph around this record' }).click();
    await page.getByRole('heading', { name: 'Around report-gen-02' }).waitFor();
    const table = page.locator('table[aria-label="Records in this graph"]');
    for (const name of ['Jonas Berg', 'svc-reportgen', 'svc-reportgen access key 1']) {
      await table.getByRole('link', { name, exact: true }).waitFor();
    }
    const kinds = await table.locator('tbody tr td:first-child').allTextContents();
    expect(new Set(kinds)).toEqual(new Set(['Owner', 'Asset', 'Identity', 'Credential']));
    await shot('08-graph-retired-host');
  });

  it('returns to sign-in when the token is revoked, and signing out forgets it', async () => {
    const second = await context.newPage();
    const extra = await issueToken(estate.stores.tokens, {
      name: 'revoked-soon',
      scopes: ['read'],
      createdBy: null,
      now: new Date().toISOString(),
    });
    await second.goto(`${estate.baseUrl}/findings?kind=unowned-asset`);
    await second.getByLabel('API token').fill(extra.token);
    await second.getByRole('button', { name: 'Sign in' }).click();
    await second.locator('li.finding').first().waitFor();
    expect(second.url()).toContain('/findings?kind=unowned-asset');

    // Revoked through the API, as an operator would: this server forgets it at once, however
    // recently it checked it (its token cache is for other replicas' revocations, 1 s).
    const admin = await issueToken(estate.stores.tokens, {
      name: 'revoker',
      scopes: ['admin'],
      createdBy: null,
      now: new Date().toISOString(),
    });
    const revoked = await fetch(`${estate.baseUrl}/api/v1/tokens/${extra.info.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(revoked.status).toBe(200);
    await nav(second, 'Inventory');
    await second.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await second.getByRole('status').textContent()).toContain('session ended');
    expect(await second.evaluate('sessionStorage.getItem("roster.token")')).toBeNull();
    await second.screenshot({ path: join(ARTEFACTS, '09-session-ended.png') });
    await second.close();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate('sessionStorage.getItem("roster.token")')).toBeNull();
  });

  it('ran without script errors or Content-Security-Policy violations', () => {
    expect(problems).toEqual([]);
  });
}

/**
 * The WCAG contrast ratio of an element's text colour against the first opaque background
 * behind it (1 = invisible, 21 = black on white).
 */
async function contrastOf(el: Locator): Promise<number> {
  // The root tsconfig has no DOM types: the little of the DOM used here, typed by hand.
  interface Styled {
    parentElement: Styled | null;
  }
  const [fg, bg] = await el.evaluate((node: Styled) => {
    const style = (e: Styled) =>
      (globalThis as unknown as {
        getComputedStyle(e: Styled): { color: string; backgroundColor: string };
      }).getComputedStyle(e);
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    let bgOf: Styled | null = node;
    let back = [255, 255, 255];
    while (bgOf) {
      const c = rgb(style(bgOf).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) {
        back = c.slice(0, 3);
        break;
      }
      bgOf = bgOf.parentElement;
    }
    return [rgb(style(node).color).slice(0, 3), back];
  });
  const luminance = (c: number[]) => {
    const [r, g, b] = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };
  const [a, b] = [luminance(fg ?? []), luminance(bg ?? [])];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
