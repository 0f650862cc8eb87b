import type Database from 'better-sqlite3';
import { redactRequest } from '../../decide/redact.js';

const PAGE = 500;

/**
 * Redacts the requests of decision bodies already in the log by today's rules (DESIGN.md
 * rule 5): bodies logged before the redaction learned a shape (a bearer token, a URL password,
 * a webhook, Roster's own tokens) kept it. Inline bodies and shared ones alike; a body with
 * nothing to redact is left byte for byte. Answers how many bodies were rewritten.
 */
export function scrubDecisionRequests(db: Database.Database): number {
  return scrubTable(db, 'SELECT id AS k, body FROM decisions WHERE body_digest IS NULL AND id > ?'
    + ' ORDER BY id LIMIT ?', 'UPDATE decisions SET body = ? WHERE id = ?')
    + scrubTable(db, 'SELECT digest AS k, body FROM decision_bodies WHERE digest > ?'
    + ' ORDER BY digest LIMIT ?', 'UPDATE decision_bodies SET body = ? WHERE digest = ?');
}

function scrubTable(db: Database.Database, select: string, update: string): number {
  const page = db.prepare(select);
  const write = db.prepare(update);
  let after = '';
  let rewritten = 0;
  for (;;) {
    const rows = page.all(after, PAGE) as { k: string; body: string }[];
    if (rows.length === 0) return rewritten;
    for (const { k, body } of rows) {
      const scrubbed = scrubbedBody(body);
      if (scrubbed === undefined) continue;
      write.run(scrubbed, k);
      rewritten++;
    }
    after = rows[rows.length - 1]!.k;
  }
}

/** The body with its request redacted, or undefined when it has nothing to redact. */
function scrubbedBody(json: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(json);
  } catch {
    // Not JSON (a damaged row): nothing of it is read as a request, so nothing is shown.
    return '{}';
  }
  if (!body || typeof body !== 'object' || !('request' in body)) return undefined;
  const request = (body as { request: unknown }).request;
  const redacted = redactRequest(request);
  // A field named like a secret is copied even when it holds `[redacted]` already: compare.
  if (redacted === request || JSON.stringify(redacted) === JSON.stringify(request)) {
    return undefined;
  }
  return JSON.stringify({ ...body, request: redacted });
}
