export interface Config {
  permission?: {
    /** Settings of the platform's permission policy. */
    platform?: {
      /**
       * Entity refs of the groups whose members may do everything, such as
       * `group:default/platform-admins`. Membership comes from the catalog
       * through the sign-in resolver's ownership claims.
       * @default ["group:default/platform-admins"]
       */
      adminGroups?: string[];
    };
  };
}
