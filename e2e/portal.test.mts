/**
 * The portal as a new user meets it: guest sign-in, the catalog, a component
 * page, a template run that notifies, and the notifications inbox.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import {
  APP_URL,
  callAsCdSystem,
  callAsGuest,
  openBrowser,
  type Portal,
  screenshot,
  screenshotOnFailure,
  sendGithubWebhook,
  signInAsGuest,
  startPortal,
} from './harness.mts';

describe('the portal on the embedded default', { timeout: 600_000 }, () => {
  let portal: Portal;
  let browser: BrowserContext;
  let page: Page;
  let announcement: string | undefined;
  const test = (name: string, body: (t: TestContext) => Promise<void>) =>
    it(name, t => screenshotOnFailure(() => page)(name, () => body(t))());

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
    // No cluster is configured in the embedded default: the tab says so
    // instead of failing.
    await page
      .getByText('No resources on any known clusters for payments-api')
      .waitFor();
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
    announcement = title;

    if (portal.freshData) {
      // The auditor recorded who ran the template.
      assert.match(
        portal.log(),
        /scaffolder\.task.*isAuditEvent.*=true.*"actorId":"user:default\/guest"/,
      );
    }
  });

  test('finds catalog entities through search', async () => {
    await page.goto(`${APP_URL}/search?query=payments`);
    await page
      .getByRole('link', { name: /Payments API/ })
      .first()
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'search');
  });

  test('lists the APIs and renders an OpenAPI definition', async () => {
    await page.goto(`${APP_URL}/api-docs`);
    await page.getByRole('link', { name: 'Payments REST API' }).click();
    await page.getByRole('tab', { name: 'Definition' }).click();
    await page.getByText('Authorise a payment').first().waitFor();
    await screenshot(page, 'api-definition');

    // The platform's own API, collated from its plugins' served specs.
    await page.goto(`${APP_URL}/api-docs`);
    await page.getByRole('link', { name: 'Launchpad platform API' }).click();
    await page.getByRole('tab', { name: 'Definition' }).click();
    await page.getByText('/deployments/current').first().waitFor();
    await screenshot(page, 'platform-api-definition');
  });

  test('shows a team with its members and the graph of an entity', async () => {
    await page.goto(`${APP_URL}/catalog/default/group/team-payments`);
    await page.getByText('Priya Natarajan').first().waitFor();
    await screenshot(page, 'group-team-payments');
    await page.goto(
      `${APP_URL}/catalog-graph?rootEntityRefs%5B%5D=component%3Adefault%2Fpayments-api`,
    );
    await page.locator('svg').getByText('Payments database').first().waitFor();
    await screenshot(page, 'catalog-graph');
  });

  test('resolves the guest to a catalog user with their groups', async () => {
    await page.goto(`${APP_URL}/settings`);
    await page.getByText('user:default/guest').first().waitFor();
    // Sign-in took the memberships from the catalog: the roles of the policy.
    const identity = page.locator('text=Ownership Entities').locator('..');
    await identity.getByRole('link', { name: 'Platform team' }).waitFor();
    await identity.getByRole('link', { name: 'Payments team' }).waitFor();
    await screenshot(page, 'settings');
  });

  it('accepts a signed GitHub webhook and refuses a forged one', async () => {
    const ping = { zen: 'Keep it logically awesome.', hook_id: 1 };
    assert.equal((await sendGithubWebhook('ping', ping)).status, 202);
    const forged = await sendGithubWebhook('ping', ping, 'forged');
    assert.equal(forged.status, 401);
    assert.match(
      (await forged.json()).error.message,
      /^X-Hub-Signature-256 header does not match the body/,
    );
  });

  test('keeps its data across a restart', async t => {
    if (!portal.freshData) {
      t.skip('the portal was started elsewhere');
      return;
    }
    assert.ok(announcement, 'the template test ran first');
    await portal.restart();
    await page.goto(`${APP_URL}/notifications`);
    await page.getByText(announcement).waitFor();
  });

  test('lists the environments of the promotion path and their locks', async () => {
    const reason = `Release freeze ${Date.now()}`;
    const lock = await callAsGuest(
      'POST',
      '/environments/environments/staging/locks',
      {
        reason,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    );
    assert.equal(lock.status, 201);
    await page.goto(APP_URL);
    await page.getByRole('link', { name: 'Environments' }).first().click();
    await page.getByText('Environments (3)').waitFor();
    for (const title of ['Development', 'Staging', 'Production']) {
      await page.getByText(title, { exact: true }).first().waitFor();
    }
    await page.getByText('Protected').first().waitFor();
    await page.getByText(`Locked: ${reason}`).waitFor();
    await screenshot(page, 'environments');

    // Variables: a plain one is shown, a secret only masked.
    const secret = `s3cret-${Date.now()}`;
    for (const [name, body] of [
      ['LOG_LEVEL', { value: 'debug' }],
      ['DATABASE_PASSWORD', { value: secret, secret: true }],
    ] as const) {
      const set = await callAsGuest(
        'PUT',
        `/environments/environments/dev/variables/${name}`,
        body,
      );
      assert.equal(set.status, 200);
    }
    await page.getByRole('button', { name: 'Variables of dev' }).click();
    const variables = page.getByRole('dialog');
    await variables.getByText('DATABASE_PASSWORD').waitFor();
    await variables.getByText('debug').waitFor();
    await variables.getByText('••••••••').waitFor();
    assert.equal(await page.getByText(secret).count(), 0);
    await screenshot(page, 'environment-variables');
    await page.keyboard.press('Escape');
    const { id } = await lock.json();
    assert.equal(
      (
        await callAsGuest(
          'DELETE',
          `/environments/environments/staging/locks/${id}`,
        )
      ).status,
      204,
    );
  });

  test('deploys to dev, promotes to staging through an approval, and shows both', async () => {
    const component = 'component:default/payments-api';
    const version = `2.${Date.now() % 100000}.0`;
    const digest = `sha256:${'ab'.repeat(32)}`;
    /** The newest deployment of payments-api in an environment. */
    const latestIn = async (environment: string) => {
      const res = await callAsCdSystem(
        'GET',
        `/deployments?component=${component}&environment=${environment}&limit=1`,
      );
      assert.equal(res.status, 200);
      const [deployment] = (await res.json()).items;
      return deployment as { id: string; version: string; status: string };
    };
    // The matrix's rows carry the environment's title; the history's carry
    // its name.
    const row = (title: string) =>
      page
        .getByRole('row')
        .filter({ has: page.getByText(title, { exact: true }) });

    // An owner deploys a built image to dev from the tab.
    await page.goto(
      `${APP_URL}/catalog/default/component/payments-api/environments`,
    );
    await page.getByText('Deployed versions').waitFor();
    await page.getByRole('button', { name: 'Deploy', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Version').fill(version);
    await dialog
      .getByLabel('Image')
      .fill(`registry.local/payments-api:${version}`);
    await dialog.getByLabel('Digest').fill(digest);
    await dialog.getByRole('button', { name: 'Deploy' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row('Development').getByText('Pending').waitFor();
    const dev = await latestIn('dev');
    assert.equal(dev.version, version);

    // The CD system reports the rollout; the open tab follows live.
    const reported = await callAsCdSystem(
      'POST',
      `/deployments/${dev.id}/status`,
      {
        status: 'succeeded',
      },
    );
    assert.equal(reported.status, 200);
    await row('Development').getByText('Succeeded').waitFor();

    // The pipeline asks to promote to staging, which is protected: the
    // promotion waits, and the admin is notified and approves it here.
    const promoted = await callAsCdSystem('POST', '/promotions', {
      component,
      from: 'dev',
      to: 'staging',
    });
    assert.equal(promoted.status, 202);
    await page.getByText('Waiting for approval').waitFor();
    await page.getByText(`${version}: dev → staging`).waitFor();
    await screenshot(page, 'component-environments-approval');
    const inbox = await callAsGuest('GET', '/notifications/notifications');
    const titles = (await inbox.json()).notifications.map(
      (n: { payload: { title: string } }) => n.payload.title,
    );
    assert.ok(
      titles.includes(`Approve payments-api ${version} into staging`),
      `the approver is notified; inbox: ${titles.join(', ')}`,
    );
    await page.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('button', { name: 'Approve and deploy' }).click();
    await page.getByText('Waiting for approval').waitFor({ state: 'hidden' });

    const staging = await latestIn('staging');
    assert.equal(staging.version, version);
    await row('Staging').getByText('Pending').waitFor();
    assert.equal(
      (
        await callAsCdSystem('POST', `/deployments/${staging.id}/status`, {
          status: 'succeeded',
        })
      ).status,
      200,
    );

    // Both environments run the version; the history shows both.
    await row('Staging').getByText('Succeeded').waitFor();
    await row('Development').getByText(version).first().waitFor();
    await row('Staging').getByText(version).first().waitFor();
    await page.getByText('Deployment history').waitFor();
    await screenshot(page, 'component-environments');
  });

  test('builds a signed push live, streams its logs, and deploys it to dev', async t => {
    if (!portal.dataDir) {
      t.skip(
        'E2E_DATA_DIR names the data folder of a portal started elsewhere',
      );
      return;
    }
    // A developer clones the sample repository, changes it and pushes.
    const origin = join(portal.dataDir, 'repos', 'payments-api');
    const work = mkdtempSync(join(tmpdir(), 'idp-e2e-clone-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', work, ...args], { encoding: 'utf8' }).trim();
    execFileSync('git', ['clone', '-q', origin, work]);
    writeFileSync(join(work, 'CHANGELOG.md'), `Shipped at ${Date.now()}\n`);
    git('add', '-A');
    git(
      '-c',
      'user.name=Priya',
      '-c',
      'user.email=priya@example.com',
      'commit',
      '-qm',
      'A change to ship',
    );
    const before = git('rev-parse', 'HEAD~1');
    const commit = git('rev-parse', 'HEAD');
    git('push', '-q', 'origin', 'main');
    rmSync(work, { recursive: true, force: true });

    // The Pipelines tab is open before GitHub's webhook arrives.
    await page.goto(
      `${APP_URL}/catalog/default/component/payments-api/pipelines`,
    );
    await page.getByRole('button', { name: 'Run pipeline' }).waitFor();
    const delivered = await sendGithubWebhook('push', {
      ref: 'refs/heads/main',
      before,
      after: commit,
      deleted: false,
      repository: {
        full_name: 'launchpad-examples/payments-api',
        html_url: 'https://github.com/launchpad-examples/payments-api',
        default_branch: 'main',
      },
      head_commit: {
        id: commit,
        message: 'A change to ship',
        author: { name: 'Priya', username: 'priya' },
      },
      pusher: { name: 'priya' },
      sender: { login: 'priya' },
    });
    assert.equal(delivered.status, 202);

    // The run appears without a reload, and its page streams the logs.
    const runRow = page
      .getByRole('row')
      .filter({ has: page.getByText(commit.slice(0, 7), { exact: true }) });
    await runRow.waitFor({ timeout: 60_000 });
    await screenshot(page, 'component-pipelines');
    await runRow.getByRole('link', { name: /^#\d+$/ }).click();
    await page.waitForURL(/\/pipelines\/runs\//);
    const runId = decodeURIComponent(page.url().split('/runs/')[1]);
    const stageGraph = page.getByTestId('stage-graph');
    await stageGraph.getByTestId('stage-deploy').waitFor();
    const testStep = stageGraph.getByRole('button', {
      name: /^Step test: (running|succeeded)/,
    });
    await testStep.waitFor({ timeout: 180_000 });
    await testStep.click();
    await page.getByText('# pass 2').waitFor({ timeout: 120_000 });
    await page.getByPlaceholder(/search/i).fill('pass');
    await screenshot(page, 'pipeline-run-logs');

    // The image is pushed and the deploy stage asks for a deployment to
    // dev, which the CD system (external in the embedded default) rolls out.
    await stageGraph
      .getByRole('button', { name: /^Step deploy: running/ })
      .waitFor({ timeout: 240_000 });
    // Until the CD system reports, the step says what it waits for and where
    // the report goes.
    await stageGraph
      .getByText(
        /Waiting for a final status report from the external CD system/,
      )
      .first()
      .waitFor({ timeout: 30_000 });
    await stageGraph.scrollIntoViewIfNeeded();
    await screenshot(page, 'pipeline-run-waiting');
    let deployment: { id: string; version: string; status: string } | undefined;
    for (let i = 0; i < 60 && !deployment; i++) {
      const res = await callAsCdSystem(
        'GET',
        '/deployments?component=component:default/payments-api&environment=dev&limit=5',
      );
      deployment = (await res.json()).items.find(
        (d: { trigger: { pipelineRun?: string } }) =>
          d.trigger.pipelineRun === runId,
      );
      if (!deployment) await new Promise(r => setTimeout(r, 1000));
    }
    assert.ok(deployment, `run ${runId} asked for a deployment to dev`);
    assert.equal(deployment.version, commit.slice(0, 12));
    const reported = await callAsCdSystem(
      'POST',
      `/deployments/${deployment.id}/status`,
      { status: 'succeeded', message: 'Synced by the CD system' },
    );
    assert.equal(reported.status, 200);
    await stageGraph
      .getByRole('button', { name: /^Step deploy: succeeded/ })
      .waitFor({ timeout: 60_000 });
    await page.getByText(`127.0.0.1:`).first().waitFor();
    await page
      .getByText(/sha256:[0-9a-f]{12}/)
      .first()
      .waitFor();
    await screenshot(page, 'pipeline-run-deployed');

    // The component's Environments tab shows the commit running in dev.
    await page.goto(
      `${APP_URL}/catalog/default/component/payments-api/environments`,
    );
    await page
      .getByRole('row')
      .filter({ has: page.getByText('Development', { exact: true }) })
      .getByText(commit.slice(0, 12))
      .first()
      .waitFor();
    await screenshot(page, 'component-environments-after-pipeline');
  });
});
