/**
 * The six environments of the benchmark, in promotion order, as
 * `environments.initial` config creates them at start-up. Production is
 * protected, as it is in the embedded default: a team member may not deploy
 * into it directly, so the deploy write uses the other five.
 */
export const BENCH_ENVIRONMENTS = [
  { name: 'dev', tier: 'development', promotionOrder: 10, protected: false },
  { name: 'test', tier: 'development', promotionOrder: 20, protected: false },
  { name: 'qa', tier: 'staging', promotionOrder: 30, protected: false },
  { name: 'staging', tier: 'staging', promotionOrder: 40, protected: false },
  { name: 'preprod', tier: 'staging', promotionOrder: 50, protected: false },
  {
    name: 'production',
    tier: 'production',
    promotionOrder: 60,
    protected: true,
  },
].map(env => ({
  ...env,
  owner: 'group:default/platform-admins',
  target: { type: 'external' },
}));
