// The HTTP client: same-origin by default, the API key from the tab's session storage (never
// from the bundle), errors as ApiError with the status and the parsed body.

const KEY_STORAGE = "tascade.apiKey";
const base: string = import.meta.env.VITE_API_BASE_URL ?? "";

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    super(`API ${status}`);
    this.status = status;
    this.body = body;
  }
  /** The server's error code from the envelope, when there is one. */
  get code(): string | undefined {
    const b = this.body as { error?: { code?: string } } | null;
    return b?.error?.code;
  }
}

type Listener = () => void;
const authListeners = new Set<Listener>();
const keyListeners = new Set<Listener>();

export function apiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

export function setApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
  keyListeners.forEach((l) => l());
}

/** Called whenever the server answers 401: the app asks for a key. */
export function onAuthRequired(l: Listener): () => void {
  authListeners.add(l);
  return () => authListeners.delete(l);
}

/** Called whenever the key changes (login, logout). */
export function onKeyChanged(l: Listener): () => void {
  keyListeners.add(l);
  return () => keyListeners.delete(l);
}

export function apiUrl(path: string): string {
  return base + path;
}

export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set("Content-Type", "application/json");
  const key = apiKey();
  if (key) headers.set("Authorization", `Bearer ${key}`);
  const res = await fetch(apiUrl(path), { ...init, headers });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  if (!res.ok) {
    if (res.status === 401) authListeners.forEach((l) => l());
    throw new ApiError(res.status, body);
  }
  return body as T;
}

export function post<T>(path: string, body: unknown): Promise<T> {
  return api<T>(path, { method: "POST", body: JSON.stringify(body) });
}

/** `?a=1&b=2` from the defined entries of `params`. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
