/**
 * The portal as a new user meets it: guest sign-in, the catalog, a component
 * page, a template run that notifies, and the notifications inbox.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import {
  APP_URL,
  openBrowser,
  type Portal,
  screenshot,
  signInAsGuest,
  startPortal,
} from './harness.mts';

describe('the portal on the embedded default', { timeout: 600_000 }, () => {
  let portal: Portal;
  let browser: BrowserContext;
  let page: Page;

  before(async () => {
    portal = await startPortal();
    browser = await openBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(30_000);
  });

  after(async () => {
    await browser?.close();
    await portal?.stop();
  });

  it('has the backend ready within 30 s of starting', () => {
    console.log(`backend ready ${portal.secondsToBackendReady.toFixed(1)} s after ./idp start`);
    assert.ok(portal.secondsToBackendReady <= 30, `took ${portal.secondsToBackendReady} s`);
  });

  it('signs the guest in and lands on the catalog', async () => {
    await signInAsGuest(page);
    await page.getByRole('heading', { name: 'Launchpad Catalog' }).waitFor();
    await screenshot(page, 'catalog');
  });

  it('lists the sample organisation in the catalog', async () => {
    await page.goto(`${APP_URL}/catalog?filters[kind]=component&filters[user]=all`);
    for (const name of ['payments-api', 'catalogue-service', 'web-shop', 'accounts-service']) {
      await page.getByRole('link', { name, exact: true }).waitFor();
    }
    await screenshot(page, 'catalog-components');
  });

  it('shows a component page with its owner, system and tabs', async () => {
    await page.getByRole('link', { name: 'payments-api', exact: true }).click();
    await page.waitForURL(/\/catalog\/default\/component\/payments-api/);
    await page.getByRole('heading', { name: 'Payments API' }).first().waitFor();
    await page.getByRole('link', { name: 'team-payments' }).first().waitFor();
    await page.getByRole('link', { name: 'payments', exact: true }).first().waitFor();
    for (const tab of ['Overview', 'Kubernetes', 'API', 'Dependencies']) {
      await page.getByRole('tab', { name: tab }).waitFor();
    }
    await screenshot(page, 'component-payments-api');
    await page.getByRole('tab', { name: 'Kubernetes' }).click();
    await page.waitForURL(/\/kubernetes$/);
    await screenshot(page, 'component-kubernetes');
  });

  it('runs a template that notifies a team, and the inbox shows it', async () => {
    const title = `Maintenance window ${Date.now()}`;
    await page.goto(`${APP_URL}/create/templates/default/announcement`);
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Message').fill('The payments database restarts at 22:00 UTC.');
    const audience = page.getByLabel('Audience');
    await audience.fill('platform-admins');
    await page.getByRole('option', { name: /platform-admins/ }).first().click();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await page.getByText('The announcement is in the inbox of', { exact: false }).waitFor({ timeout: 60_000 });
    await screenshot(page, 'template-run');

    await page.goto(`${APP_URL}/notifications`);
    await page.getByText(title).waitFor();
    await screenshot(page, 'notifications');
  });
});
