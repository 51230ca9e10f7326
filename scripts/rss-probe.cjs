// Preloaded by the benchmark (node -r): prints the process's peak RSS when it exits.
process.on('exit', () => {
  require('node:fs').writeSync(2, `\nXWALK_BENCH_MAXRSS_KB ${process.resourceUsage().maxRSS}\n`);
});
