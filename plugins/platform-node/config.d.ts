export interface Config {
  platform?: {
    /**
     * Settings that must have a value for the backend to start, each with
     * where the value comes from. Backstage silently drops a setting whose
     * environment variable is unset; listing it here turns that into a
     * start-up failure that names the variable.
     */
    requiredConfig?: Array<{
      /** Dotted config key, such as `backend.database.connection.password`. */
      key: string;
      /** Where the value comes from, such as an environment variable name. */
      from: string;
    }>;
  };
}
