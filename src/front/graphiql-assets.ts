import { createHash } from 'node:crypto';
import { createStaticAsset, type StaticAsset } from './static-asset.js';

/**
 * GraphiQL as a small page and separate, immutable assets, all taken from the installed
 * `@graphql-yoga/render-graphiql` (the machines are offline: no CDN). The package's own
 * renderer inlines 9 MB of script into every page; here the page is a few hundred bytes
 * and each script, stylesheet and editor worker has a content-hashed URL a browser keeps.
 */

export interface GraphiQLOptions {
  title: string;
  defaultQuery?: string;
  /** GraphiQL's opening tabs (query, variables and headers as text); the first is shown. @default one tab of `defaultQuery` */
  defaultTabs?: ReadonlyArray<{ query: string; variables?: string; headers?: string }>;
  /** The headers pane's text on first open: GraphiQL shows a tab's headers only once that tab is switched to. @default empty */
  defaultHeaders?: string;
}

export interface GraphiQLBundle {
  page: StaticAsset;
  /** Every asset by its URL path. */
  assets: ReadonlyMap<string, StaticAsset>;
}

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/';

/** Imports the package (about 9 MB of script): only when the first page is asked for. */
export async function loadGraphiQL(options: GraphiQLOptions): Promise<GraphiQLBundle> {
  const parts = await import('@graphql-yoga/render-graphiql/graphiql');
  const assets = new Map<string, StaticAsset>();
  const add = (name: string, ext: string, type: string, body: Buffer) => {
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
    const path = `${GRAPHIQL_ASSET_PREFIX}${name}.${hash}.${ext}`;
    assets.set(path, createStaticAsset({ type, body, immutable: true, etag: hash }));
    return path;
  };
  const js = 'text/javascript; charset=utf-8';
  const workers = {
    editorWorkerService: add('editor.worker', 'js', js, Buffer.from(parts.editorWorkerService)),
    json: add('json.worker', 'js', js, Buffer.from(parts.jsonWorker)),
    graphql: add('graphql.worker', 'js', js, Buffer.from(parts.graphqlWorker)),
  };
  const icon = add('favicon', 'ico', 'image/x-icon', Buffer.from(parts.favicon.slice(parts.favicon.indexOf(',') + 1), 'base64'));
  const css = add('graphiql', 'css', 'text/css; charset=utf-8', Buffer.from(parts.css));
  const main = add('graphiql', 'js', js, Buffer.from(parts.js));
  const boot = add('boot', 'js', js, Buffer.from(bootScript(workers)));
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="${icon}">
<link rel="stylesheet" href="${css}">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript.</noscript>
<div id="root"></div>
<script type="application/json" id="graphiql-options">${jsonInHtml(options)}</script>
<script src="${boot}"></script>
<script src="${main}"></script>
</body>
</html>
`;
  const page = createStaticAsset({ type: 'text/html; charset=utf-8', body: Buffer.from(html), immutable: false });
  return { page, assets };
}

/**
 * Runs before GraphiQL's script: Monaco asks `MonacoEnvironment` for its workers' URLs,
 * and the page renders once every script has run. Options come from a JSON block, so the
 * page needs no inline script and its policy allows scripts from this origin only.
 */
function bootScript(workers: Record<string, string>): string {
  return `(function () {
  var workers = ${JSON.stringify(workers)};
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: function (_moduleId, label) { return workers[label]; } };
  document.addEventListener('DOMContentLoaded', function () {
    var options = JSON.parse(document.getElementById('graphiql-options').textContent);
    YogaGraphiQL.renderYogaGraphiQL(document.querySelector('#root'), options);
  });
})();
`;
}

/** JSON that cannot end the script element holding it. */
function jsonInHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
