// Runtime API keys: when the server answers 401 the app asks for a key, keeps it in the tab's
// session storage (never in the bundle) and retries. Controls that need a role are hidden once
// the server refuses them (403) for this key; with auth disabled everything just works.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { apiKey, onAuthRequired, setApiKey } from "../api/client";

interface AuthValue {
  hasKey: boolean;
  /** Actions the server refused to this key (e.g. "acknowledge"). */
  forbidden: Set<string>;
  markForbidden: (action: string) => void;
  signIn: () => void;
  signOut: () => void;
}

const AuthContext = createContext<AuthValue>({
  hasKey: false,
  forbidden: new Set(),
  markForbidden: () => {},
  signIn: () => {},
  signOut: () => {},
});

export function useAuth(): AuthValue {
  return useContext(AuthContext);
}

function KeyDialog({ onSubmit, onCancel, rejected }: { onSubmit: (key: string) => void; onCancel: () => void; rejected: boolean }) {
  const [value, setValue] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) onSubmit(value.trim());
  };
  return (
    <div className="dialog-backdrop">
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="key-title" onSubmit={submit}>
        <h2 id="key-title" style={{ margin: 0 }}>
          API key required
        </h2>
        <p className="muted" style={{ margin: 0 }}>
          This server requires an API key. It is kept in this tab only (session storage) and sent as a Bearer token. A
          read-only key scoped to one project is enough to look.
        </p>
        {rejected && (
          <div role="alert" className="alert">
            The server did not accept that key.
          </div>
        )}
        <label htmlFor="api-key">API key</label>
        <input id="api-key" type="password" autoComplete="off" placeholder="tsk_…" value={value} onChange={(e) => setValue(e.target.value)} autoFocus />
        <div style={{ display: "flex", gap: 8, justifyContent: "flex-end" }}>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn primary">
            Sign in
          </button>
        </div>
      </form>
    </div>
  );
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [hasKey, setHasKey] = useState(() => !!apiKey());
  const [asking, setAsking] = useState(false);
  const [rejected, setRejected] = useState(false);
  const [forbidden, setForbidden] = useState<Set<string>>(new Set());

  useEffect(
    () =>
      onAuthRequired(() => {
        setRejected(!!apiKey());
        setAsking(true);
      }),
    [],
  );

  const submit = useCallback(
    (key: string) => {
      setApiKey(key);
      setHasKey(true);
      setAsking(false);
      setRejected(false);
      setForbidden(new Set());
      void qc.invalidateQueries();
    },
    [qc],
  );
  const signOut = useCallback(() => {
    setApiKey(null);
    setHasKey(false);
    setForbidden(new Set());
    qc.clear();
    void qc.invalidateQueries();
  }, [qc]);
  const markForbidden = useCallback((action: string) => setForbidden((s) => new Set(s).add(action)), []);
  const value = useMemo(
    () => ({ hasKey, forbidden, markForbidden, signIn: () => setAsking(true), signOut }),
    [hasKey, forbidden, markForbidden, signOut],
  );
  return (
    <AuthContext.Provider value={value}>
      {children}
      {asking && <KeyDialog onSubmit={submit} onCancel={() => setAsking(false)} rejected={rejected} />}
    </AuthContext.Provider>
  );
}
