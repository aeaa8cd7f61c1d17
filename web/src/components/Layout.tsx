import { NavLink, Outlet, useNavigate } from "react-router-dom";
import { hasRole, type Role } from "../lib/api";
import { useSession } from "../lib/session";

// What each role sees in the navigation; the server enforces the same rule
// on every route (a hidden link is a convenience, not the protection).
const LINKS: { to: string; label: string; role: Role }[] = [
  { to: "/", label: "Home", role: "viewer" },
  { to: "/sql", label: "SQL query", role: "analyst" },
  { to: "/admin", label: "Users", role: "admin" },
  { to: "/admin/audit", label: "Audit log", role: "admin" },
];

export function Layout() {
  const { user, signOut } = useSession();
  const navigate = useNavigate();
  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">FutureIM</span>
        <nav aria-label="Main">
          {LINKS.filter((l) => hasRole(user?.roles, l.role)).map((l) => (
            <NavLink key={l.to} to={l.to} end>
              {l.label}
            </NavLink>
          ))}
        </nav>
        <div className="who">
          <span title={user?.email}>
            {user?.name} <span className="muted">({user?.roles.join(", ")})</span>
          </span>
          <button
            type="button"
            className="secondary"
            onClick={async () => {
              await signOut();
              navigate("/login");
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
