/**
 * Browser-test harness: starts the portal with the README's own command
 * (`./idp start`) on a fresh data folder, waits until it is ready, and hands
 * out Chromium pages driven by playwright-core.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import {
  mkdtempSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '..');
export const OUTPUT_DIR = join(ROOT, 'test-results', 'e2e');
export const APP_URL = process.env.E2E_APP_URL ?? 'http://localhost:3000';
export const BACKEND_URL =
  process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';

export interface Portal {
  /**
   * The portal's data folder (IDP_DATA_DIR), where the sample repositories
   * live; for a portal started elsewhere, E2E_DATA_DIR when set.
   */
  dataDir?: string;
  /** Seconds from spawning `./idp start` until the backend reported ready. */
  secondsToBackendReady: number;
  /** True when the portal was started here on an empty data folder. */
  freshData: boolean;
  /** What the portal has logged so far (empty for a portal started elsewhere). */
  log(): string;
  /** Stops the portal and starts it again on the same data folder. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function isUp(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function waitFor(
  url: string,
  child: ChildProcess | undefined,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(
        `The portal exited with code ${child.exitCode}; see ${OUTPUT_DIR}/portal.log`,
      );
    }
    if (await isUp(url)) return;
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `${url} was not ready within ${
      timeoutMs / 1000
    }s; see ${OUTPUT_DIR}/portal.log`,
  );
}

function spawnPortal(dataDir: string, logName: string): ChildProcess {
  const log = openSync(join(OUTPUT_DIR, logName), 'w');
  return spawn(join(ROOT, 'idp'), ['start'], {
    cwd: ROOT,
    detached: true, // its own process group, so stopping ends yarn, the backend and the dev server together
    stdio: ['ignore', log, log],
    env: { ...process.env, IDP_DATA_DIR: dataDir, BROWSER: 'none' },
  });
}

async function waitUntilReady(child: ChildProcess) {
  await waitFor(
    `${BACKEND_URL}/.backstage/health/v1/readiness`,
    child,
    240_000,
  );
  await waitFor(APP_URL, child, 240_000);
}

async function stopPortal(child: ChildProcess) {
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise(r => child.once('exit', r));
  process.kill(-child.pid, 'SIGTERM');
  const timeout = new Promise(r => setTimeout(r, 10_000));
  await Promise.race([exited, timeout]);
  if (child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  // The ports must be free before anything starts again.
  for (
    let i = 0;
    i < 50 && (await isUp(`${BACKEND_URL}/.backstage/health/v1/liveness`));
    i++
  ) {
    await new Promise(r => setTimeout(r, 200));
  }
}

/**
 * Starts the portal unless E2E_APP_URL points at one that already runs.
 */
export async function startPortal(): Promise<Portal> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  if (process.env.E2E_APP_URL) {
    return {
      dataDir: process.env.E2E_DATA_DIR,
      secondsToBackendReady: 0,
      freshData: false,
      log: () => '',
      restart: async () => {},
      stop: async () => {},
    };
  }
  for (const url of [APP_URL, `${BACKEND_URL}/.backstage/health/v1/liveness`]) {
    if (await isUp(url)) {
      throw new Error(
        `Something already answers at ${url}; stop it, or set E2E_APP_URL to test it`,
      );
    }
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'idp-e2e-data-'));
  const started = Date.now();
  let logName = 'portal.log';
  let child = spawnPortal(dataDir, logName);
  await waitFor(
    `${BACKEND_URL}/.backstage/health/v1/readiness`,
    child,
    240_000,
  );
  const secondsToBackendReady = (Date.now() - started) / 1000;
  await waitUntilReady(child);
  return {
    dataDir,
    secondsToBackendReady,
    freshData: true,
    log: () => readFileSync(join(OUTPUT_DIR, logName), 'utf8'),
    async restart() {
      await stopPortal(child);
      logName = 'portal-restarted.log';
      child = spawnPortal(dataDir, logName);
      await waitUntilReady(child);
    },
    async stop() {
      await stopPortal(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh Chromium profile, as Debian ships it, with the flags this network needs. */
export async function openBrowser(): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'idp-e2e-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
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
}

/** Signs in as the guest, the embedded default's only provider. */
export async function signInAsGuest(page: Page): Promise<void> {
  await page.goto(APP_URL);
  await page.getByRole('button', { name: 'Enter' }).click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({
    path: join(OUTPUT_DIR, `${name}.png`),
    fullPage: false,
  });
}

/**
 * Wraps a test body so that a failure leaves a screenshot of the page behind,
 * named after the test, next to the portal's log.
 */
export function screenshotOnFailure(getPage: () => Page | undefined) {
  return (name: string, body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      const page = getPage();
      const slug = name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .slice(0, 60);
      if (page) await screenshot(page, `failed-${slug}`).catch(() => {});
      throw error;
    }
  };
}

/** A token of the guest, as the browser holds it after signing in. */
export async function guestToken(): Promise<string> {
  const res = await fetch(`${BACKEND_URL}/api/auth/guest/refresh`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  return (await res.json()).backstageIdentity.token as string;
}

/** Calls a backend plugin's API as the guest. */
export async function callAsGuest(
  method: string,
  path: string,
  body?: object,
): Promise<Response> {
  return fetch(`${BACKEND_URL}/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${await guestToken()}`,
      'content-type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/**
 * Calls the environments API as the local CD system does, with the static
 * token app-config.yaml gives it: reporting deployments, asking for
 * promotions.
 */
export async function callAsCdSystem(
  method: string,
  path: string,
  body?: object,
): Promise<Response> {
  const token = process.env.ENVIRONMENTS_CD_TOKEN ?? 'local-cd-system-token';
  return fetch(`${BACKEND_URL}/api/environments${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  });
}

/**
 * Sends a GitHub webhook delivery to the events ingress as GitHub does:
 * the JSON body signed with the secret (the embedded default's, unless
 * GITHUB_WEBHOOK_SECRET or `secret` says otherwise).
 */
export async function sendGithubWebhook(
  event: string,
  payload: object,
  secret = process.env.GITHUB_WEBHOOK_SECRET ?? 'local-github-webhook-secret',
): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${BACKEND_URL}/api/events/http/github`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret)
        .update(body)
        .digest('hex')}`,
    },
    body,
  });
}
