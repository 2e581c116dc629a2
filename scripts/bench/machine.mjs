// What the numbers were measured on: they mean little without it.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem, loadavg } from 'node:os';

const sh = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
};

export function machine(browserPath) {
  const lscpu = sh('lscpu', []) ?? '';
  const model = lscpu.match(/^Model name:\s*(.+)$/m)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  return {
    nproc: Number(sh('nproc', [])) || cpus().length,
    cpu: model,
    memGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    os: sh('sh', ['-c', '. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME"']) || process.platform,
    browser: browserPath ? sh(browserPath, ['--version']) : null,
    node: process.version,
  };
}

/** The 1-minute load average: how busy the machine was (other work shares the CPU). */
export const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
