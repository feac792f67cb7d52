// How /docs (Swagger UI) looks: Hashline's title, icon and colours, a link back to the dashboard, and a
// layout that fits a phone (the plugin's page has no viewport tag, so a phone lays it out 980 px wide).
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';

const ICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">' +
  '<stop offset="0" stop-color="#5c7cfa"/><stop offset="1" stop-color="#20c997"/></linearGradient></defs>' +
  '<rect width="32" height="32" rx="7" fill="url(#g)"/><text x="16" y="23" font-family="monospace" font-size="20" ' +
  'font-weight="700" text-anchor="middle" fill="#fff">#</text></svg>';

/** Runs in the docs page: the viewport tag, and the top bar's logo as a link to the dashboard. */
const PAGE_SCRIPT = `(function () {
  var meta = document.createElement('meta');
  meta.name = 'viewport';
  meta.content = 'width=device-width, initial-scale=1';
  document.head.appendChild(meta);
  var tries = 0;
  var timer = setInterval(function () {
    var link = document.querySelector('#swagger-ui .topbar-wrapper > a.link');
    if (!link && ++tries < 100) return;
    clearInterval(timer);
    if (!link) return;
    link.setAttribute('href', '/');
    link.setAttribute('title', 'Back to the Hashline dashboard');
    link.setAttribute('data-testid', 'docs-home');
    link.removeAttribute('target');
    var label = document.createElement('span');
    label.className = 'hashline-home';
    label.textContent = 'Hashline · back to the dashboard';
    link.appendChild(label);
  }, 50);
})();`;

const PAGE_CSS = `
body { margin: 0; background: #fafbfc; }
.swagger-ui .topbar { background: #1b1f3b; padding: 8px 0; }
.swagger-ui .topbar .topbar-wrapper { padding: 0 16px; gap: 12px; flex-wrap: wrap; }
.swagger-ui .topbar a.link { display: flex; align-items: center; gap: 10px; color: #fff; text-decoration: none;
  max-width: none; flex: 0 0 auto; }
.swagger-ui .topbar a.link img { height: 32px; width: 32px; }
.swagger-ui .topbar .hashline-home { font: 600 16px/1.2 system-ui, sans-serif; color: #fff; }
/* Only the logo link: no spec-URL form, no dark-mode switch (drawn dark on the dark bar). */
.swagger-ui .topbar .topbar-wrapper > :not(a.link) { display: none; }
.swagger-ui .wrapper { padding: 0 16px; box-sizing: border-box; max-width: 1100px; }
.swagger-ui .info { margin: 24px 0; }
.swagger-ui .info .title { font-size: 28px; }
@media (max-width: 640px) {
  .swagger-ui .wrapper { padding: 0 8px; }
  .swagger-ui .info .title { font-size: 22px; }
  .swagger-ui .opblock .opblock-summary { flex-wrap: wrap; }
  .swagger-ui .opblock .opblock-summary-path { max-width: 100%; word-break: break-all; flex-shrink: 1; }
  .swagger-ui .opblock .opblock-summary-description { flex-basis: 100%; margin-top: 4px; }
  .swagger-ui .opblock-body, .swagger-ui .responses-wrapper, .swagger-ui .parameters-container,
  .swagger-ui .model-example { overflow-x: auto; }
  .swagger-ui table { display: block; overflow-x: auto; }
  .swagger-ui .scheme-container { padding: 12px 0; }
  .swagger-ui .opblock-tag { font-size: 18px; padding: 8px 4px; }
}
`;

export const docsUiOptions: FastifySwaggerUiOptions = {
  routePrefix: '/docs',
  logo: { type: 'image/svg+xml', content: Buffer.from(ICON_SVG), href: '/', target: '_self' },
  theme: {
    title: 'Hashline node API',
    favicon: [
      {
        filename: 'favicon.svg',
        rel: 'icon',
        sizes: 'any',
        type: 'image/svg+xml',
        content: Buffer.from(ICON_SVG),
      },
    ],
    css: [{ filename: 'hashline.css', content: PAGE_CSS }],
    js: [{ filename: 'hashline.js', content: PAGE_SCRIPT }],
  },
  uiConfig: {
    docExpansion: 'list',
    deepLinking: true,
    defaultModelsExpandDepth: 0,
    displayRequestDuration: true,
    tryItOutEnabled: false,
  },
};
