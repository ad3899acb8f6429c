/** The app shell: navigation, the page for the current URL, and a readable page for any failure. */
import { html, render } from 'htm/preact';
import { useErrorBoundary } from 'preact/hooks';
import type { VNode } from 'preact';
import type { ProjectInfo } from '../api-types.js';
import { ApiFailure } from './api.js';
import { ErrorPanel, interceptLinks, Loading, useApi, useLocation } from './common.js';
import { RunsPage } from './pages/runs.js';
import { RunPage } from './pages/run.js';
import { ComparePage } from './pages/compare.js';
import { ModelsPage } from './pages/models.js';
import { EndpointsPage } from './pages/endpoints.js';
import { MonitoringPage } from './pages/monitoring.js';

const SECTIONS = [
  { href: '/runs', label: 'Runs', match: (p: string) => p === '/' || p.startsWith('/runs') },
  { href: '/compare', label: 'Compare', match: (p: string) => p.startsWith('/compare') },
  { href: '/models', label: 'Models', match: (p: string) => p.startsWith('/models') },
  { href: '/endpoints', label: 'Endpoints', match: (p: string) => p.startsWith('/endpoints') },
  { href: '/monitoring', label: 'Monitoring', match: (p: string) => p.startsWith('/monitoring') },
];

function Page({ path, query, project }: { path: string; query: URLSearchParams; project: ProjectInfo }): VNode {
  const run = /^\/runs\/([^/]+)\/?$/.exec(path);
  if (run?.[1]) return html`<${RunPage} runId=${decodeURIComponent(run[1])} node=${query.get('node') ?? undefined} />`;
  if (path === '/' || path === '/runs' || path === '/runs/') return html`<${RunsPage} project=${project} />`;
  if (path.startsWith('/compare')) return html`<${ComparePage} query=${query} />`;
  if (path.startsWith('/models')) return html`<${ModelsPage} project=${project} />`;
  if (path.startsWith('/endpoints')) return html`<${EndpointsPage} project=${project} />`;
  if (path.startsWith('/monitoring')) return html`<${MonitoringPage} query=${query} />`;
  return html`<${ErrorPanel} title="No such page" error=${new ApiFailure(`there is no page at ${path}`, 404)} />`;
}

function App(): VNode {
  const { path, query } = useLocation();
  const project = useApi<ProjectInfo>('/api/project');
  const [crash, reset] = useErrorBoundary();
  const body = crash
    ? html`<${ErrorPanel} title="This page failed to draw" error=${new ApiFailure(crash instanceof Error ? crash.message : String(crash), 500, true)} retry=${reset} />`
    : project.error
      ? html`<${ErrorPanel} title="Cannot read the project" error=${project.error} retry=${project.reload} />`
      : project.data
        ? html`<${Page} key=${path} path=${path} query=${query} project=${project.data} />`
        : html`<${Loading} what="the project" />`;
  return html`<a class="skip" href="#main">Skip to content</a>
    <header class="top">
      <a class="brand" href="/runs">mlops</a>
      <nav aria-label="Sections">
        <ul>${SECTIONS.map((s) => html`<li><a href=${s.href} aria-current=${s.match(path) ? 'page' : undefined}>${s.label}</a></li>`)}</ul>
      </nav>
      <span class="project" title=${project.data?.projectDir ?? ''}>${project.data?.projectDir ?? ''}${project.data && !project.data.writable ? ' (read-only)' : ''}</span>
    </header>
    <main id="main" tabindex="-1">${body}</main>`;
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  interceptLinks(root);
  render(html`<${App} />`, root);
  // Moving to another page puts the keyboard focus at its content, as a page load would.
  let last = location.pathname;
  window.addEventListener('popstate', () => (last = location.pathname));
  new MutationObserver(() => {
    if (location.pathname !== last) {
      last = location.pathname;
      document.getElementById('main')?.focus({ preventScroll: true });
    }
  }).observe(root, { childList: true, subtree: true });
}
