/** Progress of a long run, on a terminal's stderr only: scripts and --json output stay clean. */
export interface Progress {
  update(text: string): void;
  done(): void;
}

const REDRAW_MS = 100;

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let drawnAt = 0;
  let shown = false;
  return {
    update(text) {
      const now = Date.now();
      if (now - drawnAt < REDRAW_MS) return;
      drawnAt = now;
      shown = true;
      stream.write(`\r\x1b[2K${text}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
      drawnAt = 0;
    },
  };
}
