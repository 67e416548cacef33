import { realpath, stat } from 'node:fs/promises';
import { resolveStepWorkingDirectory } from '@internal/plugin-pipelines-node';
import { isAbsolute, relative, resolve, sep } from 'node:path';

function escapes(base: string, target: string): boolean {
  const rel = relative(base, target);
  return rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
}

/**
 * Resolves a step's working directory inside the checkout: the rules every
 * executor shares (`resolveStepWorkingDirectory`: no absolute paths, no `..`
 * leading out), and here, where the files are, symbolic links pointing out
 * (the repository's content is not trusted) and folders that do not exist
 * are refused too. Otherwise the real path is returned.
 */
export async function resolveWorkingDirectory(
  checkout: string,
  workingDirectory: string | undefined,
): Promise<{ path: string } | { problem: string }> {
  const lexical = resolveStepWorkingDirectory(checkout, workingDirectory);
  if ('problem' in lexical || !workingDirectory) {
    return lexical;
  }
  const name = `The working directory '${workingDirectory}'`;
  const candidate = resolve(lexical.path);
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
