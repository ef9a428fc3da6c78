export interface ErrorStateProps {
  title: string;
  message: string;
  onRetry?: () => void;
  /** The read keeps trying by itself in the background (see api/retryPolicy.ts). */
  retrying?: boolean;
}

export function ErrorState({ title, message, onRetry, retrying = false }: ErrorStateProps) {
  return (
    <div className="error-state" role="alert">
      <p className="error-state__title">{title}</p>
      <p>{message}</p>
      {retrying ? <p className="muted">We’ll keep trying in the background.</p> : null}
      {onRetry ? (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
