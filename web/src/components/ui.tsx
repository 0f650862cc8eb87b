import type { AnchorHTMLAttributes, ComponentChildren } from 'preact';
import { ApiFailure } from '../api.js';
import { formatInstant } from '../format.js';
import type { CursorPages } from '../hooks.js';
import { followLink, graphHref, recordHref } from '../router.js';

type AnchorProps = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string };

/** An anchor that navigates inside the console (and still opens in a new tab with Ctrl). */
export function Link({ href, children, ...rest }: AnchorProps) {
  return (
    <a href={href} onClick={(e) => followLink(e as unknown as MouseEvent, href)} {...rest}>
      {children}
    </a>
  );
}

export function RecordLink(props: {
  id: string | null;
  name: string | null;
  kind?: string | null;
}) {
  const label = props.name ?? props.id ?? 'unresolved';
  if (!props.id) return <span class="muted">{label}</span>;
  return <Link href={recordHref(props.id)}>{label}</Link>;
}

export function GraphLink({ id, children }: { id: string; children: ComponentChildren }) {
  return <Link href={graphHref(id)}>{children}</Link>;
}

export type Tone = 'good' | 'warn' | 'bad' | 'info' | 'neutral' | 'critical';

const ADMISSION_TONE: Record<string, Tone> = {
  approved: 'good',
  unknown: 'warn',
  retired: 'neutral',
};
const SEVERITY_TONE: Record<string, Tone> = {
  critical: 'critical',
  high: 'bad',
  medium: 'warn',
  low: 'info',
  info: 'neutral',
};

export function Badge({
  tone = 'neutral',
  children,
}: {
  tone?: Tone;
  children: ComponentChildren;
}) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

export function AdmissionBadge({ value }: { value: string }) {
  return <Badge tone={ADMISSION_TONE[value] ?? 'neutral'}>{value}</Badge>;
}

export function SeverityBadge({ value }: { value: string }) {
  return <Badge tone={SEVERITY_TONE[value] ?? 'neutral'}>{value}</Badge>;
}

export function Instant({ value }: { value: string | null | undefined }) {
  if (!value) return <span class="muted">—</span>;
  return <time dateTime={value}>{formatInstant(value)}</time>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** An error with what the API said: its code and the request id to quote to an operator. */
export function ErrorBox({ error, what }: { error: unknown; what: string }) {
  const failure = error instanceof ApiFailure ? error : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div class="error-box" role="alert">
      <strong>Could not load {what}.</strong> {message}
      {failure && (
        <span class="error-meta">
          {' '}
          ({failure.code}
          {failure.requestId ? `, request ${failure.requestId}` : ''})
        </span>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

export function PageHeader(props: {
  title: string;
  subtitle?: ComponentChildren;
  actions?: ComponentChildren;
}) {
  return (
    <header class="page-header">
      <div>
        <h1 id="page-title" tabIndex={-1}>
          {props.title}
        </h1>
        {props.subtitle && <p class="subtitle">{props.subtitle}</p>}
      </div>
      {props.actions && <div class="page-actions">{props.actions}</div>}
    </header>
  );
}

export function Section(props: {
  title: string;
  id?: string;
  children: ComponentChildren;
  aside?: ComponentChildren;
}) {
  const id = props.id ?? `s-${props.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return (
    <section class="panel" aria-labelledby={id}>
      <div class="panel-head">
        <h2 id={id}>{props.title}</h2>
        {props.aside}
      </div>
      {props.children}
    </section>
  );
}

/** Next / previous over an API cursor; `page` counts from 1 for the reader. */
export function Pager({
  label,
  pages,
  shown,
}: {
  label: string;
  pages: CursorPages;
  /** The page on screen: its items, and the API's cursor to the next one (null at the end). */
  shown: { readonly items: readonly unknown[]; readonly next?: string | null | undefined };
}) {
  const next = shown.next;
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={pages.previous} disabled={!pages.hasPrevious}>
        ← Previous
      </button>
      <span class="pager-status" aria-live="polite">
        Page {pages.page} · {shown.items.length} shown
      </span>
      <button type="button" onClick={() => next && pages.next(next)} disabled={!next}>
        Next →
      </button>
    </nav>
  );
}
