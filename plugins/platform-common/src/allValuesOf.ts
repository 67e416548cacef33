/**
 * A list of the values of a string union that a -common package keeps at
 * runtime (for a select, a zod enum, a filter) beside the generated model's
 * type: `allValuesOf<Tier>()(['development', ...])` compiles only when the
 * list holds every member of the union and nothing else, so a value added to
 * the spec's enum cannot be left out of the list. The list keeps its literal
 * tuple type and its order.
 *
 * @public
 */
export function allValuesOf<T extends string>() {
  return <const V extends readonly T[]>(
    values: V & ([T] extends [V[number]] ? unknown : never),
  ): V => values;
}
