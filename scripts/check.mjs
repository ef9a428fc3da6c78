#!/usr/bin/env node
// Runs every package's typecheck, lint and tests through turbo, streaming its output as it comes.
// Two phases: first everything but the browser, the suites in parallel; then the end-to-end tests
// in headless Chromium, alone. Those tests hold the SPA to time bounds on a CPU slowed 4×, and with
// every other suite running beside them on a 2-core machine they measured the machine instead.
// A failing task's report ends up hundreds of lines above the summary, where the tail of a CI log
// never reaches: when a task fails, its own output is printed again, last.
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const taskLine = /^(\S+?):(\w+): (.*)$/;

/** The output of each task (`package#task`), in order, for the ones that fail. */
const outputByTask = new Map();
const failedTasks = new Set();

function record(line) {
  const plain = stripVTControlCharacters(line);
  const match = taskLine.exec(plain);
  if (match) {
    const task = `${match[1]}#${match[2]}`;
    if (!outputByTask.has(task)) outputByTask.set(task, []);
    outputByTask.get(task).push(match[3]);
  }
  if (/^\s*Failed:\s/.test(plain)) for (const task of plain.match(/\S+#\S+/g) ?? []) failedTasks.add(task.replace(/,$/, ''));
}

function follow(stream, out) {
  // Decoded as a stream, so a character split between two chunks is not garbled in the copy.
  stream.setEncoding('utf8');
  let pending = '';
  stream.on('data', (chunk) => {
    out.write(chunk);
    const lines = (pending + chunk).split('\n');
    pending = lines.pop();
    lines.forEach(record);
  });
  stream.on('end', () => pending && record(pending));
}

/** Vitest's report of its failures when there is one, else the task's last lines (tsc, eslint). */
function failureReport(lines) {
  const vitestReport = lines.findIndex((line) => /Failed Tests \d+/.test(line));
  return vitestReport >= 0 ? lines.slice(vitestReport, vitestReport + 150) : lines.slice(-80);
}

/** Runs turbo for `tasks` and resolves with its exit status; the second phase runs whatever the first did. */
function runTurbo(tasks) {
  const turbo = spawn('pnpm', ['exec', 'turbo', 'run', ...tasks, '--continue', ...process.argv.slice(2)], {
    cwd: root,
    stdio: ['inherit', 'pipe', 'pipe'],
    env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' },
  });
  follow(turbo.stdout, process.stdout);
  follow(turbo.stderr, process.stderr);
  return new Promise((resolve) => turbo.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const statuses = [await runTurbo(['typecheck', 'lint', 'test']), await runTurbo(['test:e2e'])];
for (const task of failedTasks) {
  console.log(`\n━━━ ${task} failed; its output again ━━━`);
  for (const line of failureReport(outputByTask.get(task) ?? [])) console.log(line);
}
process.exit(statuses.find((status) => status !== 0) ?? 0);
