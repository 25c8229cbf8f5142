import express, { type Express } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';

// The API docs at /docs: Swagger UI from the swagger-ui-dist package, served by the service itself (no CDN),
// reading /openapi.json.
const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Lead intake API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const init = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui' });`;

export function docsRoutes(app: Express, document: unknown): void {
  app.get('/openapi.json', (_req, res) => {
    res.json(document);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(page);
  });
  app.get('/docs/init.js', (_req, res) => {
    res.type('js').send(init);
  });
  app.use('/docs/assets', express.static(getAbsoluteFSPath(), { index: false, fallthrough: false }));
}
