import type { ExpectationStatus } from '../api/types';

export const statusLabels: Record<ExpectationStatus, string> = {
  open: 'Open',
  met: 'Met',
  missed: 'Missed',
  withdrawn: 'Withdrawn',
};

export function StatusBadge({ status }: { status: ExpectationStatus }) {
  return <span className={`badge badge--${status}`}>{statusLabels[status]}</span>;
}
