/**
 * CPU time used by the bench's browser: every process descending from this Node process whose
 * executable is Chromium's (its browser, GPU, renderer and utility processes: audio, network,
 * video capture), read from Linux's /proc (`utime` + `stime` of /proc/PID/stat, proc(5)). The
 * signal service and peerjs-server, also children of the bench, are not counted.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux build the bench runs on). */
const TICKS_PER_S = 100;

interface Proc {
  ppid: number;
  cpuMs: number;
}

function readProcs(): Map<number, Proc> {
  const procs = new Map<number, Proc>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Fields after the command name, which is in parentheses and may contain spaces.
      const fields = readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const [ppid, utime, stime] = [fields[1], fields[11], fields[12]].map(Number) as [number, number, number];
      procs.set(Number(name), { ppid, cpuMs: ((utime + stime) * 1000) / TICKS_PER_S });
    } catch {
      // The process ended while we read.
    }
  }
  return procs;
}

const isChromium = (pid: number) => {
  try {
    return /chrom/.test(readlinkSync(`/proc/${pid}/exe`));
  } catch {
    return false;
  }
};

/** CPU ms used so far by each Chromium process under this Node process, by pid. */
export function browserCpuByPid(): Map<number, number> {
  const procs = readProcs();
  const mine = new Set([process.pid]);
  const cpu = new Map<number, number>();
  // Parents come before their children in pid order almost always; repeat until nothing is added.
  for (let added = true; added;) {
    added = false;
    for (const [pid, proc] of procs) {
      if (mine.has(pid) || !mine.has(proc.ppid)) continue;
      mine.add(pid);
      added = true;
      if (isChromium(pid)) cpu.set(pid, proc.cpuMs);
    }
  }
  return cpu;
}

/**
 * CPU of the browser in ms per second of wall time over the next `windowMs` ms, of the processes
 * alive at both ends of the window (a process that ended takes its times with it).
 */
export async function browserCpuRate(windowMs: number): Promise<number> {
  const before = browserCpuByPid();
  const start = performance.now();
  await new Promise((resolve) => setTimeout(resolve, windowMs));
  const after = browserCpuByPid();
  const elapsed = performance.now() - start;
  let used = 0;
  for (const [pid, ms] of after) if (before.has(pid)) used += ms - before.get(pid)!;
  return (used * 1000) / elapsed;
}
