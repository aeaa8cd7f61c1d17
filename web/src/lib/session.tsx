import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { ApiClient, LocalSessionStore, type Session, type User } from "./api";

interface SessionContextValue {
  client: ApiClient;
  user: User | null;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
  setUser(user: User): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const store = useMemo(() => new LocalSessionStore(), []);
  const [user, setUserState] = useState<User | null>(() => store.load()?.user ?? null);
  const client = useMemo(
    () => new ApiClient(store, (input, init) => fetch(input, init), () => setUserState(null)),
    [store],
  );

  // Another tab signed in or out: follow it ("logout everywhere" in this browser).
  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === LocalSessionStore.KEY) setUserState(store.load()?.user ?? null);
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [store]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const session: Session = await client.signIn(email, password);
      setUserState(session.user);
    },
    [client],
  );
  const signOut = useCallback(() => client.signOut(), [client]);
  const setUser = useCallback(
    (next: User) => {
      const session = store.load();
      if (session) store.save({ ...session, user: next });
      setUserState(next);
    },
    [store],
  );

  const value = useMemo(() => ({ client, user, signIn, signOut, setUser }), [client, user, signIn, signOut, setUser]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession outside SessionProvider");
  return value;
}
