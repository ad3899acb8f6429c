/** Shared pieces of the pages: navigation, data loading, states (loading, error, empty), formatting. */
import { html } from 'htm/preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { VNode } from 'preact';
import { ApiFailure, getJson } from './api.js';

// ---------------------------------------------------------------------------------------------
// Navigation (history API; every page has its own URL)

type Listener = () => void;
const listeners = new Set<Listener>();

export function navigate(href: string, replace = false): void {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  for (const listener of listeners) listener();
}

export function useLocation(): { path: string; query: URLSearchParams } {
  const [, setTick] = useState(0);
  useEffect(() => {
    const update = (): void => setTick((n) => n + 1);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return { path: location.pathname, query: new URLSearchParams(location.search) };
}

/** Same-origin links become in-app navigation (modifier clicks still open a new tab). */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const anchor = (event.target as Element | null)?.closest('a');
    if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
    const url = new URL(anchor.href, location.href);
    if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
    event.preventDefault();
    navigate(`${url.pathname}${url.search}${url.hash}`);
  });
}

// ---------------------------------------------------------------------------------------------
// Loading data

export interface Loaded<T> {
  data?: T;
  error?: ApiFailure;
  loading: boolean;
  reload: () => void;
}

/** GETs `path` (again whenever it changes, and every `pollMs` while `poll` says so). */
export function useApi<T>(path: string | undefined, options: { pollMs?: number; poll?: (data: T) => boolean } = {}): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: ApiFailure; loading: boolean; for?: string }>({ loading: true });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const pollRef = useRef(options.poll);
  pollRef.current = options.poll;
  useEffect(() => {
    if (path === undefined) return undefined;
    const controller = new AbortController();
    let timer: number | undefined;
    setState((previous) => ({ ...(previous.for === path ? previous : {}), loading: true, for: path }));
    getJson<T>(path, controller.signal).then(
      (data) => {
        setState({ data, loading: false, for: path });
        if (options.pollMs !== undefined && (pollRef.current?.(data) ?? true)) timer = window.setTimeout(reload, options.pollMs);
      },
      (error: unknown) => {
        if ((error as { name?: string }).name === 'AbortError') return;
        const failure = error instanceof ApiFailure ? error : new ApiFailure(String(error), 0, true);
        setState({ error: failure, loading: false, for: path });
      },
    );
    return () => {
      controller.abort();
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [path, tick]);
  return { ...state, reload };
}

export function setTitle(title: string): void {
  document.title = `${title} · mlops ui`;
}

// ---------------------------------------------------------------------------------------------
// States of a page

export function Loading({ what }: { what: string }): VNode {
  return html`<p class="loading" role="status">Loading ${what}…</p>`;
}

function adviceFor(error: ApiFailure): string {
  if (error.status === 0) return 'Start it again with `mlops ui` and reload this page.';
  if (error.status === 404) return 'It may have been removed, or the address has a typo. The lists on the pages above show what exists.';
  if (error.status === 401) return 'Open the address that `mlops ui` printed; it carries the token.';
  if (error.status === 403) return 'The server refused this action; the message says why.';
  if (error.bug) return 'This is a bug in mlops, not something you did: please report it with the message above.';
  return 'Check the message above; the same command on the command line gives the same answer.';
}

export function ErrorPanel({ error, title = 'Something went wrong', retry }: { error: ApiFailure; title?: string; retry?: () => void }): VNode {
  return html`<section class="problem" role="alert" aria-labelledby="problem-title">
    <h2 id="problem-title">${title}</h2>
    <p class="problem-message">${error.message}</p>
    <p>${adviceFor(error)}</p>
    ${retry ? html`<button type="button" onClick=${retry}>Try again</button>` : null}
  </section>`;
}

export function Empty({ title, children }: { title: string; children?: unknown }): VNode {
  return html`<section class="empty" aria-labelledby="empty-title">
    <h2 id="empty-title">${title}</h2>
    ${children}
  </section>`;
}

// ---------------------------------------------------------------------------------------------
// Formatting

const STATE_LABEL: Record<string, string> = { 'awaiting-approval': 'awaiting approval', 'timed-out': 'timed out', 'no-drift': 'no drift' };

/** A state as a coloured badge whose text says the state (colour is never the only cue). */
export function StateBadge({ state }: { state: string }): VNode {
  return html`<span class=${`badge state-${state}`}>${STATE_LABEL[state] ?? state}</span>`;
}

export function duration(start: string | undefined, end: string | undefined, now = Date.now()): string {
  if (!start) return '–';
  const ms = (end ? Date.parse(end) : now) - Date.parse(start);
  if (!Number.isFinite(ms) || ms < 0) return '–';
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function when(iso: string | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function num(value: unknown, digits = 4): string {
  if (typeof value !== 'number') return value === undefined || value === null ? '–' : typeof value === 'string' ? value : JSON.stringify(value);
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return value.toExponential(2);
  return String(Number(value.toPrecision(digits)));
}

export function bytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KiB`;
  return `${(size / 1024 / 1024).toFixed(1)} MiB`;
}

export function short(sha: string): string {
  return sha.slice(0, 12);
}

export function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return num(value);
  return JSON.stringify(value);
}

/** Runs ids are long: the time part, readable, with the random suffix. */
export function runLabel(id: string): string {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\d*Z-(\w+)$/.exec(id);
  return match ? `${match[1]}-${match[2]}-${match[3]} ${match[4]}:${match[5]}:${match[6]} · ${match[7]}` : id;
}
