import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { cdTokenConfigKey, externalWaitTexts } from './externalCdReport';

const config = (externalAccess?: JsonObject[]) =>
  new ConfigReader(
    externalAccess ? { backend: { auth: { externalAccess } } } : {},
  );

const staticToken = (accessRestrictions?: JsonObject[]): JsonObject => ({
  type: 'static',
  options: { token: 'a-long-enough-token', subject: 'cd-system' },
  ...(accessRestrictions ? { accessRestrictions } : {}),
});

describe('cdTokenConfigKey', () => {
  it('names the first static token that reaches the environments plugin', () => {
    expect(
      cdTokenConfigKey(
        config([
          { type: 'legacy', options: { secret: 'c2VjcmV0' } },
          staticToken([{ plugin: 'catalog' }]),
          staticToken([{ plugin: 'catalog' }, { plugin: 'environments' }]),
          staticToken(),
        ]),
      ),
    ).toBe('backend.auth.externalAccess[2].options.token');
  });

  it('takes a static token without access restrictions', () => {
    expect(cdTokenConfigKey(config([staticToken()]))).toBe(
      'backend.auth.externalAccess[0].options.token',
    );
  });

  it('is undefined when no static token reaches the environments plugin', () => {
    expect(cdTokenConfigKey(config())).toBeUndefined();
    expect(cdTokenConfigKey(config([]))).toBeUndefined();
    expect(
      cdTokenConfigKey(config([staticToken([{ plugin: 'catalog' }])])),
    ).toBeUndefined();
  });
});

describe('externalWaitTexts', () => {
  const url = 'http://portal.test/api/environments/deployments/dep-1/status';
  const texts = (tokenConfigKey?: string) =>
    externalWaitTexts({
      deploymentId: 'dep-1',
      environment: 'dev',
      report: { url, ...(tokenConfigKey ? { tokenConfigKey } : {}) },
      timeoutMs: 30 * 60_000,
      deadline: new Date('2026-12-08T02:30:00Z'),
    });

  it('names the deployment, environment, endpoint, token config and time out', () => {
    expect(texts('backend.auth.externalAccess[0].options.token')).toEqual({
      log: `Waiting for the external CD system to report the status of deployment dep-1 to 'dev': it POSTs to ${url} with the static token of backend.auth.externalAccess[0].options.token. The stage fails if no final status is reported by 2026-12-08T02:30:00.000Z (pipelines.engine.deployTimeout, 30m).`,
      waitingFor: `a final status report from the external CD system for 'dev' (POST ${url}) until 2026-12-08T02:30:00.000Z (pipelines.engine.deployTimeout, 30m)`,
    });
  });

  it('says when no token is configured that the CD system could report with', () => {
    expect(texts().log).toContain(
      `it POSTs to ${url} with a static token, but backend.auth.externalAccess has none that reaches the environments plugin.`,
    );
  });
});
