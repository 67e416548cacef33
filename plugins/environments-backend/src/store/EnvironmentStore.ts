import {
  Environment,
  EnvironmentInput,
  EnvironmentPatch,
} from '@internal/plugin-environments-common';

/** Persistence of environments. */
export interface EnvironmentStore {
  /** All environments in promotion order, then by name. */
  list(): Promise<Environment[]>;
  /** @throws NotFoundError when there is no such environment. */
  get(name: string): Promise<Environment>;
  /** @throws ConflictError when the name is taken. */
  create(input: EnvironmentInput, actor: string): Promise<Environment>;
  /** @throws NotFoundError when there is no such environment. */
  update(
    name: string,
    patch: EnvironmentPatch,
    actor: string,
  ): Promise<{ before: Environment; after: Environment }>;
  /** @throws NotFoundError when there is no such environment. */
  delete(name: string): Promise<Environment>;
}
