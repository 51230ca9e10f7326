// Preloaded by the benchmark (node -r): prints the process's peak resident memory when it exits.
// It reads VmHWM from /proc/self/status, not getrusage's maxRSS: on Linux the latter keeps the
// high-water mark from before exec, so a child of a large parent (the benchmark itself, which
// holds its generated data) reports the parent's size instead of its own.
process.on('exit', () => {
  const fs = require('node:fs');
  let kb;
  try {
    kb = Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1]);
  } catch {
    kb = process.resourceUsage().maxRSS;
  }
  fs.writeSync(2, `\nXWALK_BENCH_MAXRSS_KB ${kb}\n`);
});
