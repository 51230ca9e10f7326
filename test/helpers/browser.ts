/**
 * The system Chromium for browser tests, driven by playwright-core (which never downloads a
 * browser). scripts/setup-browser.sh installs Chromium from Debian's packages when it is missing;
 * when it cannot, this throws, so the test fails rather than skips.
 */

import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

export function browserPath(): string {
  try {
    return execFileSync('sh', ['scripts/setup-browser.sh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 }).trim();
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`no headless Chromium for the browser test: ${err.stderr?.trim() || err.message}`);
  }
}

export async function launch(): Promise<Browser> {
  // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: browserPath(), headless: true, args: ['--no-sandbox', '--disable-gpu'] });
}
