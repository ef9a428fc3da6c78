import type { KindComparison } from './mirror-comparison';
import type { ChaosReport } from './scenario';

/** The run's figures on one line: what was done, what was injected, what was checked. */
export function summaryLine(report: ChaosReport): string {
  const { changes, webhooks, answers } = report;
  const reads = answers.reads;
  const ok = reads.byStatus['200'] ?? 0;
  return [
    `${report.engine}, ${report.replicas} API process${report.replicas === 1 ? '' : 'es'}`,
    `${changes.total} changes (users: ${changes.users.creates} creates, ${changes.users.updates} updates, ${changes.users.deletes} deletes; ` +
      `teams: ${changes.teams.creates} creates, ${changes.teams.renames} renames, ${changes.teams.deletes} deletes; ` +
      `members: ${changes.memberships.adds} adds (${changes.memberships.rejoins} rejoins), ${changes.memberships.roleChanges} role changes, ${changes.memberships.removals} removals, ${changes.memberships.endedWithUser} ended with their user; ` +
      `${changes.refused} refused)`,
    `${report.kills} kills${report.replicas > 1 ? ' of one replica' : ''} (${report.apiStarts} API starts)`,
    `faults injected: ${webhooks.duplicated} duplicates, ${webhooks.dropped} drops, ${webhooks.heldBack} reorders`,
    `${webhooks.delivered} webhooks delivered (${webhooks.failedAttempts} failed attempts, ${webhooks.redeliveriesRecognised} redeliveries recognised, ${webhooks.pendingAtEnd} pending)`,
    `mirror rows compared: ${compared('users', report.mirror.users)}, ${compared('organizations', report.mirror.organizations)}, ${compared('memberships', report.mirror.memberships)}`,
    `${reads.requests} reads (${ok} ok, ${reads.connectionErrors} connection errors while down)`,
    `${answers.apiWrites.requests} API writes (${report.expectations.acknowledged} expectations acknowledged, ${report.expectations.missingAfterAcknowledgement} lost)`,
    `${report.serverErrors} 5xx`,
    `${(report.elapsedMs / 1000).toFixed(1)} s`,
  ].join(', ');
}

function compared(kind: string, comparison: KindComparison): string {
  return `${comparison.rowsCompared} ${kind} (${comparison.live} live, ${comparison.deleted} deleted, ${comparison.divergences.length} divergences)`;
}

/** Every figure, for a person reading the soak's output or a document. */
export function detailedReport(report: ChaosReport): string {
  const lines = [`chaos convergence: ${summaryLine(report)}`];
  for (const [channel, figures] of Object.entries(report.answers)) {
    const statuses = Object.entries(figures.byStatus)
      .map(([status, count]) => `${status}×${count}`)
      .join(' ');
    const unanswered =
      channel === 'standInAdmin'
        ? `${figures.unexpectedConnectionErrors} unanswered`
        : `${figures.connectionErrors} connection errors while the API was down, ${figures.unexpectedConnectionErrors} while it was up`;
    lines.push(`  ${channel}: ${figures.requests} requests; answers ${statuses || 'none'}; ${unanswered}`);
  }
  lines.push(
    `  webhook messages: ${report.webhooks.messages} in the outbox (${report.changes.webhookMessages} expected from the changes), ` +
      `${report.webhooks.eventsRecorded} distinct message ids recorded by the API`,
  );
  lines.push(`  expectations: ${report.expectations.acknowledged} acknowledged, ${report.expectations.inTeam} of them in the kept team`);
  lines.push(`  last list pages (personal and team): ${report.expectations.lastPageItems} items, ${report.expectations.lastPageWithAssignee} with an assignee`);
  if (report.problems.length === 0) lines.push('  result: converged, no 5xx');
  else {
    lines.push(`  result: ${report.problems.length} problems`);
    for (const problem of report.problems.slice(0, 50)) lines.push(`    - ${problem}`);
    if (report.problems.length > 50) lines.push(`    … and ${report.problems.length - 50} more`);
  }
  return lines.join('\n');
}
