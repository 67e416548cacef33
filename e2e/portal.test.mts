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
  screenshotOnFailure,
  signInAsGuest,
  startPortal,
} from './harness.mts';

describe('the portal on the embedded default', { timeout: 600_000 }, () => {
  let portal: Portal;
  let browser: BrowserContext;
  let page: Page;
  const test = (name: string, body: () => Promise<void>) =>
    it(name, screenshotOnFailure(() => page)(name, body));

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
    console.log(
      `backend ready ${portal.secondsToBackendReady.toFixed(
        1,
      )} s after ./idp start`,
    );
    assert.ok(
      portal.secondsToBackendReady <= 30,
      `took ${portal.secondsToBackendReady} s`,
    );
  });

  test('signs the guest in and lands on the catalog', async () => {
    await signInAsGuest(page);
    await page.getByRole('heading', { name: 'Launchpad Catalog' }).waitFor();
    await screenshot(page, 'catalog');
  });

  test('lists the sample organisation in the catalog', async () => {
    await page.goto(
      `${APP_URL}/catalog?filters[kind]=component&filters[user]=all`,
    );
    for (const title of [
      'Payments API',
      'Catalogue service',
      'Web shop',
      'Accounts service',
    ]) {
      await page.getByRole('link', { name: title, exact: true }).waitFor();
    }
    await screenshot(page, 'catalog-components');
  });

  test('shows a component page with its owner, system and tabs', async () => {
    await page.getByRole('link', { name: 'Payments API', exact: true }).click();
    await page.waitForURL(/\/catalog\/default\/component\/payments-api/);
    await page.getByRole('heading', { name: 'Payments API' }).first().waitFor();
    await page.getByRole('link', { name: 'Payments team' }).first().waitFor();
    await page
      .getByRole('link', { name: 'Payments', exact: true })
      .first()
      .waitFor();
    // Every relation resolves: the sample data has no dangling references.
    assert.equal(
      await page.getByText("can't be found in the catalog").count(),
      0,
    );
    for (const tab of ['Overview', 'Kubernetes', 'API', 'Dependencies']) {
      await page.getByRole('tab', { name: tab }).waitFor();
    }
    await screenshot(page, 'component-payments-api');
    await page.getByRole('tab', { name: 'Kubernetes' }).click();
    await page.waitForURL(/\/kubernetes$/);
    await screenshot(page, 'component-kubernetes');
  });

  test('runs a template that notifies a team, and the inbox shows it', async () => {
    const title = `Maintenance window ${Date.now()}`;
    await page.goto(`${APP_URL}/create/templates/default/announcement`);

    await page.getByLabel('Title').fill(title);
    await page
      .getByLabel('Message')
      .fill('The payments database restarts at 22:00 UTC.');
    // The owner picker is an autocomplete; its input is the field's own id.
    const audience = page.locator('#root_audience');
    await audience.click();
    await audience.pressSequentially('Platform');
    await page.getByRole('option', { name: 'Platform team' }).click();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();
    await page
      .getByText('The announcement is in the inbox of', { exact: false })
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'template-run');
    // The unread badge updates live over signals, without a reload. On a
    // fresh portal this is the first notification of all.
    await page
      .locator('a[href="/notifications"]')
      .filter({
        hasText: portal.freshData ? /^Notifications1$/ : /^Notifications\d+$/,
      })
      .waitFor();

    await page.goto(`${APP_URL}/notifications`);
    await page.getByText(title).waitFor();
    await screenshot(page, 'notifications');
  });
});
