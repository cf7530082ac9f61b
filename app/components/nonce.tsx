import { createContext, useContext, type ReactNode } from "react";

const NonceContext = createContext<string>("");

export function NonceProvider({ value, children }: { value: string; children: ReactNode }) {
  return <NonceContext.Provider value={value}>{children}</NonceContext.Provider>;
}

/** The per-request CSP nonce; empty in the browser, where it is not needed after hydration. */
export function useNonce(): string {
  return useContext(NonceContext);
}
