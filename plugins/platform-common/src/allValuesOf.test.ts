import { allValuesOf } from './allValuesOf';

type Colour = 'red' | 'green' | 'blue';

describe('allValuesOf', () => {
  it('gives the list back as it was written, in its order', () => {
    const colours = allValuesOf<Colour>()(['blue', 'red', 'green']);
    // The literal tuple type survives, as a zod enum needs it.
    const typed: readonly ['blue', 'red', 'green'] = colours;
    expect(typed).toEqual(['blue', 'red', 'green']);
  });

  // These are checked by `yarn tsc`, which fails when an expected error
  // does not occur: a list missing a member, or holding one the union lacks.
  it('does not compile a list missing a member or with one too many', () => {
    // @ts-expect-error 'blue' is missing
    const missing = allValuesOf<Colour>()(['red', 'green']);
    // @ts-expect-error 'pink' is no Colour
    const extra = allValuesOf<Colour>()(['red', 'green', 'blue', 'pink']);
    expect([missing, extra]).toHaveLength(2);
  });
});
