import express, { type Express } from 'express';
import { dirname, join } from 'node:path';

// The page and its script live next to this file in the sources and next to main.js in the bundle (the build
// copies them); Chart.js comes from node_modules, so the page works without any network.
const pageDirectory = join(__dirname, 'dashboard');
const chartJsDirectory = dirname(require.resolve('chart.js'));

export function dashboardRoutes(app: Express): void {
  app.get('/dashboard', (_req, res) => {
    res.sendFile(join(pageDirectory, 'index.html'));
  });
  app.use('/dashboard/assets', express.static(pageDirectory, { index: false, maxAge: '5m' }));
  app.get('/dashboard/vendor/chart.umd.min.js', (_req, res) => {
    res.sendFile(join(chartJsDirectory, 'chart.umd.min.js'), { maxAge: '1d' });
  });
}
