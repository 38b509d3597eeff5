import os from 'node:os';

/** What the numbers were measured on: reports are ratios on one machine, so say which. */
export interface MachineInfo {
  cores: number;
  cpu_model: string;
  memory_gb: number;
  os: string;
  node: string;
  hostname: string;
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    cores: os.availableParallelism?.() ?? cpus.length,
    cpu_model: cpus[0]?.model.trim() ?? 'unknown',
    memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    hostname: os.hostname(),
  };
}

export function machineLine(m: MachineInfo): string {
  return `${m.cores} cores (${m.cpu_model}), ${m.memory_gb} GB, ${m.os}, Node ${m.node}`;
}
