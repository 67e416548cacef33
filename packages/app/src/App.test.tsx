import { screen } from '@testing-library/react';

/**
 * Renders the whole app with a given configuration. The app loads its
 * configuration (APP_CONFIG) once per app instance, so each render takes a
 * fresh module registry: its own app, and the React that app renders with.
 */
function renderAppWith(config: object): { unmount(): void } {
  process.env = {
    NODE_ENV: 'test',
    // The isolated Testing Library is loaded inside a test, where it may not
    // register its cleanup hooks; the test unmounts the app itself.
    RTL_SKIP_AUTO_CLEANUP: 'true',
    APP_CONFIG: [{ data: config, context: 'test' }] as any,
  };
  let rendered: { unmount(): void } | undefined;
  jest.isolateModules(() => {
    const { createElement } = require('react');
    const { render } = require('@testing-library/react');
    const App = require('./App').default;
    rendered = render(createElement(App));
  });
  return rendered!;
}

const baseConfig = {
  app: { title: 'Launchpad', baseUrl: 'http://localhost:3000' },
  backend: { baseUrl: 'http://localhost:7007' },
};

describe('App', () => {
  const originalEnv = process.env;
  let app: { unmount(): void } | undefined;
  afterEach(() => {
    app?.unmount();
    process.env = originalEnv;
  });

  it('shows the sign-in page with guest sign-in in the embedded default', async () => {
    app = renderAppWith({
      ...baseConfig,
      app: { ...baseConfig.app, signIn: { providers: ['guest'] } },
    });

    expect(await screen.findByText('Guest')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /enter/i })).toBeInTheDocument();
    expect(screen.queryByText('GitHub')).not.toBeInTheDocument();
  });

  it("offers GitHub and the company's single sign-on in production, and no guest", async () => {
    app = renderAppWith({
      ...baseConfig,
      app: { ...baseConfig.app, signIn: { providers: ['github', 'oidc'] } },
    });

    expect(await screen.findByText('GitHub')).toBeInTheDocument();
    expect(screen.getByText('Single sign-on')).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
  });
});
