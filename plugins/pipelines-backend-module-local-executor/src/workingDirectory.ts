import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

function escapes(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/**
 * Resolves a step's working directory inside the checkout. Absolute paths,
 * `..` leading out, symbolic links pointing out (the repository's content is
 * not trusted), and folders that do not exist are refused with a message;
 * otherwise the real path is returned.
 */
export async function resolveWorkingDirectory(
  checkout: string,
  workingDirectory: string | undefined,
): Promise<{ path: string } | { problem: string }> {
  if (workingDirectory === undefined || workingDirectory === '') {
    return { path: checkout };
  }
  const name = `The working directory '${workingDirectory}'`;
  if (typeof workingDirectory !== 'string' || workingDirectory.includes('\0')) {
    return { problem: `${name} is not a valid path` };
  }
  if (isAbsolute(workingDirectory)) {
    return { problem: `${name} must be relative to the checkout` };
  }
  const candidate = resolve(checkout, workingDirectory);
  if (escapes(checkout, candidate)) {
    return { problem: `${name} leads out of the checkout` };
  }
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { problem: `${name} does not exist in the checkout` };
  }
  if (escapes(await realpath(checkout), real)) {
    return {
      problem: `${name} leads out of the checkout through a symbolic link`,
    };
  }
  if (!(await stat(real)).isDirectory()) {
    return { problem: `${name} is not a directory` };
  }
  return { path: real };
}
