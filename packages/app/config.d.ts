export interface Config {
  app?: {
    /** Sign-in settings of the portal's frontend. */
    signIn?: {
      /**
       * Sign-in providers offered on the sign-in page, in order: `guest`
       * (embedded default only), `github`, `oidc`.
       * @visibility frontend
       */
      providers?: string[];
    };
  };
}
