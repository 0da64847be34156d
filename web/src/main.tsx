import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { BrowserRouter } from "react-router";
import { AppRoutes } from "./App";
import { AuthProvider } from "./auth/AuthProvider";
import { graphQuery } from "./api/queries";
import "./styles.css";

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5000,
      retry: (n, e) => n < 3 && ![401, 403, 404].includes((e as { status?: number }).status ?? 0),
    },
  },
});

// A project view needs the graph first: ask for it now, while React mounts, not after.
const opened = window.location.pathname.match(/^\/projects\/([^/]+)\/(tasks|graph|agents)(\/|$)/);
if (opened) void queryClient.prefetchQuery(graphQuery(decodeURIComponent(opened[1])));

if (window.matchMedia?.("(prefers-color-scheme: dark)").matches) document.documentElement.classList.add("dark");

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AuthProvider>
          <AppRoutes />
        </AuthProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
