import { Link } from '../router';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export interface Notice {
  id: number;
  tone: 'success' | 'error';
  message: string;
  /** A way to act on it, e.g. back to a form that was not saved. */
  action?: { label: string; to: string };
}

type Notify = (notice: Omit<Notice, 'id'>) => void;

const NoticeContext = createContext<{ notices: Notice[]; notify: Notify; dismiss: (id: number) => void } | null>(null);

let nextNoticeId = 1;

/** Messages that outlive the screen that caused them (a save that failed after navigating away). */
export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const notify = useCallback<Notify>((notice) => {
    const id = nextNoticeId++;
    setNotices((current) => [...current.slice(-2), { ...notice, id }]);
  }, []);
  const dismiss = useCallback((id: number) => setNotices((current) => current.filter((notice) => notice.id !== id)), []);
  const value = useMemo(() => ({ notices, notify, dismiss }), [notices, notify, dismiss]);
  return <NoticeContext.Provider value={value}>{children}</NoticeContext.Provider>;
}

function useNotices() {
  const value = useContext(NoticeContext);
  if (!value) throw new Error('Notices are used outside <NoticeProvider>.');
  return value;
}

export function useNotify(): Notify {
  return useNotices().notify;
}

export function NoticeArea() {
  const { notices, dismiss } = useNotices();
  const errors = notices.filter((notice) => notice.tone === 'error');
  const successes = notices.filter((notice) => notice.tone === 'success');
  const render = (notice: Notice) => (
    <div key={notice.id} className={`notice notice--${notice.tone}`}>
      <p>{notice.message}</p>
      <div className="notice__actions">
        {notice.action ? (
          <Link className="button button--small" to={notice.action.to} onClick={() => dismiss(notice.id)}>
            {notice.action.label}
          </Link>
        ) : null}
        <button type="button" className="button button--small button--quiet" onClick={() => dismiss(notice.id)}>
          Dismiss
        </button>
      </div>
    </div>
  );
  return (
    <div className="notices">
      <div role="alert">{errors.map(render)}</div>
      <div role="status">{successes.map(render)}</div>
    </div>
  );
}
