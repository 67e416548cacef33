'use strict';

const { test } = require('node:test');
const assert = require('node:assert');
const { validatePayment } = require('../src/payments');

test('accepts a payment in minor units with a currency code', () => {
  assert.deepStrictEqual(
    validatePayment({ amount: 1250, currency: 'EUR' }),
    [],
  );
});

test('refuses a missing amount and a bad currency', () => {
  assert.strictEqual(validatePayment({ currency: 'euro' }).length, 2);
});
