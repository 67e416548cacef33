import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/**
 * Writes a `Dockerfile` building FROM scratch with a small root file system
 * (`rootfs.tar`) and a `VERSION` build argument as a label into a folder,
 * for image stages to build without pulling a base image.
 *
 * @public
 */
export async function addImageFiles(dir: string): Promise<void> {
  const rootfs = await mkdtemp(join(tmpdir(), 'pipelines-rootfs-'));
  await mkdir(join(rootfs, 'etc'));
  await writeFile(join(rootfs, 'etc', 'hello'), 'hello from the pipeline\n');
  await exec('tar', ['-C', rootfs, '-cf', join(dir, 'rootfs.tar'), '.']);
  await rm(rootfs, { recursive: true, force: true });
  await writeFile(
    join(dir, 'Dockerfile'),
    'FROM scratch\nADD rootfs.tar /\nARG VERSION\nLABEL version=$VERSION\n',
  );
}
