import { previewNames } from './previewName';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

describe('previewNames', () => {
  it('names a preview after the component and the pull request', () => {
    const [first, second] = previewNames('component:default/payments-api', 42);
    expect(first).toBe('payments-api-pr-42');
    expect(second).toMatch(/^payments-api-pr-42-[0-9a-f]{8}$/);
  });

  it('puts a catalog namespace other than default in front', () => {
    expect(previewNames('component:shop/Cart_Service', 7)[0]).toBe(
      'shop-cart-service-pr-7',
    );
  });

  it('tells apart components whose names slug alike, by the hash', () => {
    const a = previewNames('component:default/a.b', 1);
    const b = previewNames('component:default/a_b', 1);
    expect(a[0]).toBe(b[0]);
    expect(a[1]).not.toBe(b[1]);
  });

  it('keeps every name a DNS label of at most 63 characters', () => {
    const long = `component:default/${'x'.repeat(60)}-service`;
    for (const ref of [
      long,
      'component:default/payments-api',
      'component:default/---',
    ]) {
      for (const name of previewNames(ref, 2147483647)) {
        expect(name.length).toBeLessThanOrEqual(63);
        expect(name).toMatch(DNS_LABEL);
      }
    }
    // Too long for the plain form: only the hashed one is offered.
    expect(previewNames(long, 3)).toHaveLength(1);
  });
});
