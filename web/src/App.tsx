import { lazy, Suspense } from "react";
import { Link, Navigate, Route, Routes } from "react-router-dom";
import { Layout } from "./components/Layout";
import { RequireRole, RequireSession } from "./components/Guards";
import { SessionProvider, useSession } from "./lib/session";
import { ForgotPasswordPage, RegisterPage, ResetPasswordPage, SignInPage, VerifyEmailPage } from "./pages/AuthPages";
import { HomePage } from "./pages/HomePage";
import { AuditLogPage, UsersPage } from "./pages/AdminPages";
import { Skeleton } from "./components/Feedback";

// The query page carries the chart library: loaded when first opened.
const QueryPage = lazy(() => import("./pages/QueryPage").then((m) => ({ default: m.QueryPage })));

// Client routes never equal an API route's path (GET /admin/users and
// POST /query are the API's), so a reload of any page reaches the app
// (server: SPA fallback for paths no route serves).
// /reset-password and /verify are the links in the account emails.
function PublicOnly({ children }: { children: JSX.Element }) {
  const { user } = useSession();
  return user ? <Navigate to="/" replace /> : children;
}

function NotFound() {
  return (
    <div className="page">
      <h1>Page not found</h1>
      <Link to="/">Back to home</Link>
    </div>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Routes>
        <Route path="/login" element={<PublicOnly><SignInPage /></PublicOnly>} />
        <Route path="/register" element={<PublicOnly><RegisterPage /></PublicOnly>} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route path="/verify" element={<VerifyEmailPage />} />
        <Route element={<RequireSession><Layout /></RequireSession>}>
          <Route index element={<HomePage />} />
          <Route path="sql" element={<RequireRole role="analyst"><Suspense fallback={<Skeleton rows={6} label="Loading the query page" />}><QueryPage /></Suspense></RequireRole>} />
          <Route path="admin" element={<RequireRole role="admin"><UsersPage /></RequireRole>} />
          <Route path="admin/audit" element={<RequireRole role="admin"><AuditLogPage /></RequireRole>} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </SessionProvider>
  );
}
