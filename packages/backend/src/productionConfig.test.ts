/*
 * Production must not start half-configured: with a required secret missing,
 * the backend exits at once and names the variable to set.
 */
import { ConfigReader } from '@backstage/config';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const backendDir = resolve(__dirname, '..');
const root = resolve(backendDir, '../..');

const completeEnvironment: Record<string, string> = {
  APP_BASE_URL: 'https://launchpad.example.com',
  BACKEND_SECRET: 'a-backend-secret-of-enough-length',
  POSTGRES_HOST: '127.0.0.1',
  POSTGRES_PORT: '5432',
  POSTGRES_USER: 'postgres',
  POSTGRES_PASSWORD: 'secret',
  REDIS_URL: 'redis://127.0.0.1:6379',
  AUTH_SESSION_SECRET: 'a-session-secret',
  AUTH_GITHUB_CLIENT_ID: 'id',
  AUTH_GITHUB_CLIENT_SECRET: 'secret',
  AUTH_OIDC_METADATA_URL:
    'https://id.example.com/.well-known/openid-configuration',
  AUTH_OIDC_CLIENT_ID: 'id',
  AUTH_OIDC_CLIENT_SECRET: 'secret',
  GITHUB_WEBHOOK_SECRET: 'github-secret',
  GITLAB_WEBHOOK_SECRET: 'gitlab-secret',
  ENVIRONMENTS_SECRETS_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  PIPELINES_REGISTRY_HOST: 'registry.example.com',
};

function startProductionBackend(env: Record<string, string>) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !(key in completeEnvironment),
    ),
  );
  return new Promise<{ code: number | null; output: string }>(done => {
    const child = spawn(
      process.execPath,
      [
        '--require',
        require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
        'src/index.ts',
        '--config',
        resolve(root, 'app-config.yaml'),
        '--config',
        resolve(root, 'app-config.production.yaml'),
      ],
      {
        cwd: backendDir,
        env: { ...clean, ...env, NODE_ENV: 'production' },
      },
    );
    let output = '';
    child.stdout.on('data', chunk => (output += chunk));
    child.stderr.on('data', chunk => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', code => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe('production start-up', () => {
  it('refuses to start without a required secret, naming it', async () => {
    const { POSTGRES_PASSWORD, BACKEND_SECRET, ...rest } = completeEnvironment;
    const started = Date.now();
    const { code, output } = await startProductionBackend(rest);
    expect(code).not.toBe(0);
    expect(output).toContain(
      'Refusing to start: required configuration is missing: backend.auth.keys.0.secret (from BACKEND_SECRET), backend.database.connection.password (from POSTGRES_PASSWORD)',
    );
    // At once: before any plugin starts or any connection is tried.
    expect(output).not.toMatch(/Plugin '\w+' startup/);
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 70_000);
});

describe('production configuration', () => {
  // Later files replace earlier arrays, as the backend reads them.
  const config = ConfigReader.fromConfigs(
    ['app-config.yaml', 'app-config.production.yaml'].map(file => ({
      context: file,
      data: parse(readFileSync(resolve(root, file), 'utf8')),
    })),
  );

  it("carries none of the embedded default's well-known credentials", () => {
    expect(config.getConfigArray('backend.auth.externalAccess')).toEqual([]);
    expect(config.getOptional('auth.providers.guest')).toBeFalsy();
    expect(config.getStringArray('app.signIn.providers')).not.toContain(
      'guest',
    );
  });

  it("sends no clone to the embedded default's local sample repositories, and pushes images over TLS", () => {
    expect(config.getConfigArray('pipelines.git.rewrites')).toEqual([]);
    expect(config.getBoolean('pipelines.images.registry.insecure')).toBe(false);
  });
});
