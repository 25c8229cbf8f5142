import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

// Debian's chromium (tools/infra/ensure-chromium.sh installs it): playwright's own browser download is not used.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface HeadlessChromium {
  context: BrowserContext;
  close(): Promise<void>;
}

// A headless Chromium with a fresh profile that reaches nothing but the pages it is sent to.
export async function openHeadlessChromium(): Promise<HeadlessChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'crm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
