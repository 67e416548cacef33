import { InputError } from '@backstage/errors';

/**
 * The branch a manual run builds, from `main` or `refs/heads/main`: what a
 * template or an agent may give, as `POST /runs` takes it. Another ref (a
 * tag) is refused: a manual run builds a branch, its tip or a commit of it.
 * No ref gives no branch: `POST /runs` then builds the component's default
 * branch.
 *
 * @public
 */
export function manualRunBranch(ref: string): string;
/**
 * The branch a manual run builds, or none (the component's default branch)
 * for no ref.
 *
 * @public
 */
export function manualRunBranch(ref: string | undefined): string | undefined;
export function manualRunBranch(ref: string | undefined): string | undefined {
  if (ref === undefined) return undefined;
  if (ref.startsWith('refs/') && !ref.startsWith('refs/heads/')) {
    throw new InputError(
      `'${ref}' is not a branch: a manual run builds the tip (or a commit) of a branch, e.g. main or refs/heads/main`,
    );
  }
  const branch = ref.replace(/^refs\/heads\//, '');
  if (!branch.trim()) {
    throw new InputError(`'${ref}' names no branch`);
  }
  return branch;
}
