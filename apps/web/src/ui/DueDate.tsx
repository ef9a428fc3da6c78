import { formatCalendarDate, isOverdue } from './dates';

export function DueDate({ expectation }: { expectation: { status: string; dueOn: string | null } }) {
  if (!expectation.dueOn) return <span className="due due--none">No due date</span>;
  const overdue = isOverdue(expectation);
  return (
    <span className={overdue ? 'due due--overdue' : 'due'}>
      <span>
        Due <time dateTime={expectation.dueOn}>{formatCalendarDate(expectation.dueOn)}</time>
      </span>
      {overdue ? <strong className="overdue-flag">Overdue</strong> : null}
    </span>
  );
}
