import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { Link, useLocation, useNavigate, useSearchParams } from "react-router-dom";
import { ApiError } from "../lib/api";
import { useSession } from "../lib/session";
import { Field } from "../components/Field";
import { ErrorMessage } from "../components/Feedback";

const PASSWORD_HINT = "8+ characters with upper and lower case, a digit and a symbol — or a passphrase of 16+ characters";

function AuthCard({ title, children, footer }: { title: string; children: ReactNode; footer?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · FutureIM`;
  }, [title]);
  return (
    <div className="auth-page">
      <main className="auth-card" id="main">
        <p className="brand">FutureIM</p>
        <h1>{title}</h1>
        {children}
        {footer ? <footer>{footer}</footer> : null}
      </main>
    </div>
  );
}

function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, "client_error", String(e)));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

function fieldError(error: ApiError | null, field: string): string | undefined {
  return error?.field === field ? error.message : undefined;
}

export function SignInPage() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const from = (location.state as { from?: string } | null)?.from ?? "/";
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    await signIn(email, password);
    navigate(from.startsWith("/") && !from.startsWith("//") ? from : "/", { replace: true });
  });
  return (
    <AuthCard
      title="Sign in"
      footer={
        <>
          <Link to="/forgot-password">Forgot password?</Link>
          <Link to="/register">Create an account</Link>
        </>
      }
    >
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <form onSubmit={submit} noValidate>
        <Field label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </AuthCard>
  );
}

export function RegisterPage() {
  const { client } = useSession();
  const navigate = useNavigate();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const answer = await client.request<{ message: string }>("POST", "/auth/register", {
      auth: false,
      body: { name, email, password },
    });
    navigate("/login", { state: { notice: `${answer.message}. Open the link in the email, then sign in.` } });
  });
  return (
    <AuthCard title="Create an account" footer={<Link to="/login">Already have an account? Sign in</Link>}>
      <form onSubmit={submit} noValidate>
        <Field label="Name" autoComplete="name" required value={name} onChange={(e) => setName(e.target.value)} error={fieldError(error, "name")} autoFocus />
        <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, "email")} />
        <Field label="Password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} hint={PASSWORD_HINT} error={fieldError(error, "password")} />
        <Field label="Confirm password" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} error={mismatch ? "the passwords differ" : undefined} />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Creating…" : "Create account"}
        </button>
      </form>
    </AuthCard>
  );
}

export function ForgotPasswordPage() {
  const { client } = useSession();
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState<string | null>(null);
  const { busy, error, submit } = useSubmit(async () => {
    const answer = await client.request<{ message: string }>("POST", "/auth/forgot-password", { auth: false, body: { email } });
    setSent(answer.message);
  });
  return (
    <AuthCard title="Reset your password" footer={<Link to="/login">Back to sign in</Link>}>
      {sent ? (
        <p className="notice" role="status">
          {sent}. The link in the email opens a page here to choose a new password.
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, "email")} autoFocus />
          <ErrorMessage error={error} />
          <button type="submit" disabled={busy}>
            {busy ? "Sending…" : "Send reset link"}
          </button>
        </form>
      )}
    </AuthCard>
  );
}

// The page the reset email links to: /reset-password?token=...
export function ResetPasswordPage() {
  const { client } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState(false);
  const { busy, error, submit } = useSubmit(async () => {
    if (password !== confirm) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const answer = await client.request<{ message: string }>("POST", "/auth/reset-password", {
      auth: false,
      body: { token, new_password: password },
    });
    navigate("/login", { state: { notice: answer.message } });
  });
  if (!token) {
    return (
      <AuthCard title="Choose a new password" footer={<Link to="/forgot-password">Ask for a new link</Link>}>
        <p className="error" role="alert">
          This page needs the link from the reset email (it carries a token).
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password" footer={<Link to="/forgot-password">Ask for a new link</Link>}>
      <form onSubmit={submit} noValidate>
        <Field label="New password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} hint={PASSWORD_HINT} error={fieldError(error, "new_password")} autoFocus />
        <Field label="Confirm new password" type="password" autoComplete="new-password" required value={confirm} onChange={(e) => setConfirm(e.target.value)} error={mismatch ? "the passwords differ" : undefined} />
        <ErrorMessage error={error} />
        <button type="submit" disabled={busy}>
          {busy ? "Saving…" : "Set password"}
        </button>
      </form>
    </AuthCard>
  );
}

// The page the verification email links to: /verify?token=...
export function VerifyEmailPage() {
  const { client } = useSession();
  const [params] = useSearchParams();
  const token = params.get("token") ?? "";
  const [state, setState] = useState<{ done: boolean; message?: string; error?: ApiError }>({ done: false });
  useEffect(() => {
    if (!token) return;
    client
      .request<{ message: string }>("POST", "/auth/verify", { auth: false, body: { token } })
      .then(
        (answer) => setState({ done: true, message: answer.message }),
        (e) => setState({ done: true, error: e as ApiError }),
      );
  }, [client, token]);
  return (
    <AuthCard title="Confirm your email" footer={<Link to="/login">Sign in</Link>}>
      {!token ? (
        <p className="error" role="alert">
          This page needs the link from the verification email.
        </p>
      ) : !state.done ? (
        <p role="status">Confirming…</p>
      ) : state.error ? (
        <ErrorMessage error={state.error} />
      ) : (
        <p className="notice" role="status">
          {state.message}. You can sign in now.
        </p>
      )}
    </AuthCard>
  );
}
