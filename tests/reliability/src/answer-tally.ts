/**
 * Every HTTP answer the scenario's clients got, by channel and status. A request that got no
 * answer at all is a connection error; it is expected only when the API was killed or not yet
 * back while the request was under way, and "unexpected" otherwise.
 */
export interface ChannelFigures {
  requests: number;
  byStatus: Record<string, number>;
  /** No answer, and the API was down (or went down) during the request. */
  connectionErrors: number;
  /** No answer although the same API process was up before and after the request. */
  unexpectedConnectionErrors: number;
}

export type Channel = 'reads' | 'apiWrites' | 'standInAdmin';

export class AnswerTally {
  readonly channels: Record<Channel, ChannelFigures> = {
    reads: emptyFigures(),
    apiWrites: emptyFigures(),
    standInAdmin: emptyFigures(),
  };
  /** A few examples of what went wrong, for the report. */
  readonly samples: string[] = [];

  answered(channel: Channel, status: number, what: string, body?: string): void {
    const figures = this.channels[channel];
    figures.requests += 1;
    figures.byStatus[status] = (figures.byStatus[status] ?? 0) + 1;
    if (status >= 500) this.sample(`${what} answered ${status}: ${body?.slice(0, 300) ?? ''}`);
  }

  noAnswer(channel: Channel, expected: boolean, what: string, error: unknown): void {
    const figures = this.channels[channel];
    figures.requests += 1;
    if (expected) figures.connectionErrors += 1;
    else {
      figures.unexpectedConnectionErrors += 1;
      this.sample(`${what} got no answer while the API stayed up: ${describeError(error)}`);
    }
  }

  count(channel: Channel, predicate: (status: number) => boolean): number {
    return Object.entries(this.channels[channel].byStatus)
      .filter(([status]) => predicate(Number(status)))
      .reduce((sum, [, count]) => sum + count, 0);
  }

  serverErrors(): number {
    return (Object.keys(this.channels) as Channel[]).reduce((sum, channel) => sum + this.count(channel, (status) => status >= 500), 0);
  }

  private sample(text: string): void {
    if (this.samples.length < 20) this.samples.push(text);
  }
}

function emptyFigures(): ChannelFigures {
  return { requests: 0, byStatus: {}, connectionErrors: 0, unexpectedConnectionErrors: 0 };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    if (cause && typeof cause.code === 'string') return `${error.message} (${cause.code})`;
    if (cause && typeof cause.message === 'string') return `${error.message} (${cause.message})`;
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}
