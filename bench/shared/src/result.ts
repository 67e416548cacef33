import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { log } from './console';
import { MachineInfo } from './machine';

/** What every benchmark's JSON result starts with. */
export interface ResultHeader {
  benchmark: string;
  startedAt: string;
  machine: MachineInfo;
  options: { database: 'postgres' | 'sqlite' };
}

/** The machine a result comes from, as the first lines of its tables. */
export function machineLines(machine: MachineInfo): string[] {
  return [
    `Machine: ${machine.cpuModel}, ${machine.cpus} CPUs (${machine.availableParallelism} available), ${machine.memoryGiB} GiB; ${machine.os}`,
    `Node ${machine.node}; ${
      machine.database
    }; load average ${machine.loadAverageAtStart.join(
      ' ',
    )} at start, ${machine.loadAverageAtEnd?.join(' ')} at end`,
  ];
}

/**
 * Writes the result as `<benchmark>-<database>-<start time>.json` in
 * `directory`, prints its tables (`text`) on stdout and logs the file.
 */
export function publishResult(
  result: ResultHeader,
  text: string,
  directory: string,
): string {
  mkdirSync(directory, { recursive: true });
  const stamp = result.startedAt.replace(/[:.]/g, '-');
  const file = join(
    directory,
    `${result.benchmark}-${result.options.database}-${stamp}.json`,
  );
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`\n${text}\n`);
  log(`Result written to ${file}`);
  return file;
}
