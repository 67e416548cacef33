module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Plugins share contracts through their -common and -node packages, never
    // by importing another plugin's backend (or frontend): an error, where
    // Backstage's recommended config only warns.
    '@backstage/no-mixed-plugin-imports': 'error',
  },
  testRules: {
    // report() is the fuzz pass's assertion: it fails the test with the
    // findings written out for people, where expect() would print a diff.
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'report'] },
    ],
  },
});
