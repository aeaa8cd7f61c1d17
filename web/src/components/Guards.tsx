import type { ReactNode } from "react";
import { Link, Navigate, useLocation } from "react-router-dom";
import { hasRole, type Role } from "../lib/api";
import { useSession } from "../lib/session";

// Signed-in pages: without a session, go to sign in and come back after.
export function RequireSession({ children }: { children: ReactNode }) {
  const { user } = useSession();
  const location = useLocation();
  if (!user) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <>{children}</>;
}

// A page for a role: others see why they cannot use it (no API call is made).
export function RequireRole({ role, children }: { role: Role; children: ReactNode }) {
  const { user } = useSession();
  if (!hasRole(user?.roles, role)) {
    return (
      <section className="denied" role="alert">
        <h1>Not available to your account</h1>
        <p>
          This page needs the <strong>{role}</strong> role. Ask an administrator if you need it.
        </p>
        <Link to="/">Back to home</Link>
      </section>
    );
  }
  return <>{children}</>;
}
