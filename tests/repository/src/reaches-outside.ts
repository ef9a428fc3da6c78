import { execFileSync } from 'node:child_process';
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { dirname, join, posix, resolve, sep } from 'node:path';

/** A place where a file of the repository points outside the repository's root. */
export interface Reach {
  file: string;
  line: number;
  text: string;
  why: string;
}

export interface RepositoryFile {
  /** Relative to the repository root, with forward slashes. */
  path: string;
  /** The file's text, or the target of a symbolic link. */
  text: string;
  symlink: boolean;
}

/**
 * Every file git would commit (tracked, plus new files that .gitignore does not exclude): what a
 * clone gets. Binary files are left out; symbolic links are given by their target.
 */
export function repositoryFiles(root: string): RepositoryFile[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8' });
  const files: RepositoryFile[] = [];
  for (const path of new Set(listed.split('\0').filter(Boolean))) {
    const absolute = join(root, path);
    let stat;
    try {
      stat = lstatSync(absolute);
    } catch {
      continue; // deleted in the work tree, not yet in the index
    }
    if (stat.isSymbolicLink()) {
      files.push({ path, text: readlinkSync(absolute), symlink: true });
      continue;
    }
    const bytes = readFileSync(absolute);
    if (bytes.includes(0)) continue; // binary: images and the like name no paths
    files.push({ path, text: bytes.toString('utf8'), symlink: false });
  }
  return files;
}

/**
 * A relative path as written in code, Markdown, JSON, YAML or shell: `./x`, `../x`, `../../`,
 * standing on its own (not the tail of a longer path or a word).
 */
const relativePath = /(?<![\w.~/-])(?:\.\.?\/)+[^\s'"`)\]<>,;|&]*/g;

/**
 * Where this repository is developed: no file may name a path there, as a clone lives elsewhere.
 * Spelled in pieces so that this file does not name it itself.
 */
const DEVELOPMENT_FOLDER = ['', 'work', ''].join('/');

/**
 * Finds every place where a file reaches outside `root`: a relative path that resolves above the
 * root from the file's own folder, an absolute path into /work (where the repository is
 * developed, so any such path names this machine's layout), and a symbolic link whose target
 * lies outside.
 *
 * Relative paths are resolved from the folder of the file that names them, except in
 * pnpm-lock.yaml, where `link:` paths are relative to the workspace package they belong to.
 */
export function findReachesOutside(root: string, files: readonly RepositoryFile[]): Reach[] {
  const rootDir = resolve(root);
  const inside = (target: string) => target === rootDir || target.startsWith(rootDir + sep);
  const reaches: Reach[] = [];

  for (const file of files) {
    const fileDir = dirname(join(rootDir, file.path));
    if (file.symlink) {
      const target = resolve(fileDir, file.text);
      if (!inside(target)) reaches.push({ file: file.path, line: 1, text: file.text, why: `a symbolic link to ${target}` });
      continue;
    }
    const baseOfLine = file.path === 'pnpm-lock.yaml' ? lockfileImporterDirs(rootDir, file.text) : () => fileDir;
    file.text.split('\n').forEach((lineText, index) => {
      for (const match of lineText.matchAll(relativePath)) {
        const target = resolve(baseOfLine(index), match[0]);
        if (!inside(target)) reaches.push({ file: file.path, line: index + 1, text: match[0], why: `resolves to ${target}, outside the repository` });
      }
      if (lineText.includes(DEVELOPMENT_FOLDER)) {
        reaches.push({ file: file.path, line: index + 1, text: lineText.trim(), why: `an absolute path into ${DEVELOPMENT_FOLDER}` });
      }
    });
  }
  return reaches;
}

/** For each line of pnpm-lock.yaml, the workspace package folder its `link:` paths are relative to. */
function lockfileImporterDirs(rootDir: string, text: string): (line: number) => string {
  const bases: string[] = [];
  let current = rootDir;
  let inImporters = false;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) {
      inImporters = line === 'importers:';
      current = rootDir;
    } else if (inImporters) {
      const importer = /^ {2}(\S[^:]*):\s*$/.exec(line)?.[1];
      if (importer !== undefined) current = importer === '.' ? rootDir : join(rootDir, ...importer.split(posix.sep));
    }
    bases.push(current);
  }
  return (line) => bases[line] ?? rootDir;
}
