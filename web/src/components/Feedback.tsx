import type { ReactNode } from "react";
import type { ApiError } from "../lib/api";

// Shown while data loads: grey bars of the shape of what is coming.
export function Skeleton({ rows = 4, label = "Loading" }: { rows?: number; label?: string }) {
  return (
    <div className="skeleton" role="status" aria-live="polite" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="skeleton-bar" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

// An API error as a person reads it: the server's message, the field it names,
// and a retry when that can help.
export function ErrorMessage({ error, onRetry }: { error: ApiError | null; onRetry?: () => void }) {
  if (!error) return null;
  const heading =
    error.status === 0
      ? "Cannot reach the server"
      : error.status === 403
        ? "Not allowed"
        : error.status === 401
          ? "Signed out"
          : error.status >= 500
            ? "The server could not complete the request"
            : "Request refused";
  return (
    <div className="error" role="alert">
      <strong>{heading}</strong>
      <span>
        {error.message}
        {error.field ? ` (field: ${error.field})` : ""}
      </span>
      {onRetry && error.status !== 403 ? (
        <button type="button" className="secondary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}
