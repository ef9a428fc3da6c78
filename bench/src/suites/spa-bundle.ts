import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { repoRoot } from '../lib/processes';

export interface SpaChunk {
  file: string;
  initial: boolean;
  bytes: number;
  gzipBytes: number;
}

export interface SpaBundleResult {
  chunks: SpaChunk[];
  initialGzipKiB: number;
  totalGzipKiB: number;
}

/**
 * Builds the SPA as production does and weighs every JS chunk gzipped. "Initial" chunks are the
 * ones index.html loads or preloads before anything renders; the rest load with their route.
 */
export function spaBundle(): SpaBundleResult {
  const webDir = join(repoRoot, 'apps/web');
  execFileSync('pnpm', ['run', 'build'], { cwd: webDir, stdio: 'ignore' });
  const dist = join(webDir, 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const initialFiles = new Set([...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((match) => match[1]!));
  const chunks = readdirSync(join(dist, 'assets'))
    .filter((file) => file.endsWith('.js'))
    .map((file) => {
      const content = readFileSync(join(dist, 'assets', file));
      return { file: `assets/${file}`, initial: initialFiles.has(`assets/${file}`), bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.gzipBytes - a.gzipBytes);
  const kib = (list: SpaChunk[]) => list.reduce((sum, chunk) => sum + chunk.gzipBytes, 0) / 1024;
  return { chunks, initialGzipKiB: kib(chunks.filter((chunk) => chunk.initial)), totalGzipKiB: kib(chunks) };
}
