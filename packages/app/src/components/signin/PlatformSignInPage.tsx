import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  SignInPageProps,
  useApi,
} from '@backstage/core-plugin-api';
import { oidcAuthApiRef } from '../../apis';

const providersById: Record<string, SignInProviderConfig | 'guest'> = {
  guest: 'guest',
  github: {
    id: 'github-auth-provider',
    title: 'GitHub',
    message: 'Sign in with your GitHub account',
    apiRef: githubAuthApiRef,
  },
  oidc: {
    id: 'oidc-auth-provider',
    title: 'Single sign-on',
    message: "Sign in with your company's identity provider",
    apiRef: oidcAuthApiRef,
  },
};

/**
 * The sign-in page, offering the providers that `app.signIn.providers` names:
 * guest in the embedded default, GitHub and OIDC in production.
 */
export const PlatformSignInPage = (props: SignInPageProps) => {
  const config = useApi(configApiRef);
  const ids = config.getOptionalStringArray('app.signIn.providers') ?? [
    'guest',
  ];
  const providers = ids.map(id => {
    const provider = providersById[id];
    if (!provider) {
      throw new Error(
        `app.signIn.providers names '${id}'; known providers are ${Object.keys(
          providersById,
        ).join(', ')}`,
      );
    }
    return provider;
  });
  // auto: a returning user with a live session skips the page.
  return <SignInPage {...props} auto providers={providers} />;
};
