module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Plugins share contracts through their -common and -node packages, never
    // by importing another plugin's backend (or frontend): an error, where
    // Backstage's recommended config only warns.
    '@backstage/no-mixed-plugin-imports': 'error',
  },
  testRules: {
    // The client test's shared checks (platform-common's clientOnTheWire)
    // make their assertions in wire.expectOperation and
    // wire.expectEveryOperation.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'wire.expect*'] },
    ],
  },
});
