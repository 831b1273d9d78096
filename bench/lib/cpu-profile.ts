/**
 * Preload for profiling a server under load (`--import ./bench/lib/cpu-profile.ts`): starts the V8 profiler
 * at once and writes `<BENCH_PROFILE_DIR>/<pid>.cpuprofile` on SIGUSR2, without stopping the process (a
 * server with a Slack backlog may take long to stop, so `--cpu-prof`'s write-at-exit is no use).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const session = new Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start'));
process.on('SIGUSR2', () => {
  session.post('Profiler.stop', (error, result) => {
    if (error) return;
    const dir = process.env['BENCH_PROFILE_DIR'] ?? '.';
    writeFileSync(join(dir, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    session.post('Profiler.start');
  });
});
