'use strict';

/** Checks a payment request; returns the reasons it is refused, none when valid. */
function validatePayment(request) {
  const problems = [];
  if (!Number.isInteger(request?.amount) || request.amount <= 0) {
    problems.push('amount must be a positive whole number of minor units');
  }
  if (!/^[A-Z]{3}$/.test(request?.currency ?? '')) {
    problems.push('currency must be an ISO 4217 code such as EUR');
  }
  return problems;
}

module.exports = { validatePayment };
