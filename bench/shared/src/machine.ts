import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine a run's figures come from. */
export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs the OS reports. */
  cpus: number;
  /** CPUs this process may use (cgroup and affinity limits applied). */
  availableParallelism: number;
  memoryGiB: number;
  os: string;
  node: string;
  database?: string;
  /** 1, 5 and 15 minute load averages: others' work on a shared machine. */
  loadAverageAtStart: number[];
  loadAverageAtEnd?: number[];
}

function osName(): string {
  if (existsSync('/etc/os-release')) {
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(
      readFileSync('/etc/os-release', 'utf8'),
    );
    if (pretty) return `${pretty[1]}, kernel ${os.release()}`;
  }
  return `${os.type()} ${os.release()}`;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    availableParallelism: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: osName(),
    node: process.version,
    loadAverageAtStart: os.loadavg().map(l => Math.round(l * 100) / 100),
  };
}

export function loadAverage(): number[] {
  return os.loadavg().map(l => Math.round(l * 100) / 100);
}
