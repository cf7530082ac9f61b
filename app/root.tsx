import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { SiteFooter, SiteHeader } from "./components/layout";
import { useNonce } from "./components/nonce";
import { ErrorPage } from "./components/error-page";
import type { Locale } from "../db/schema/identity";
import { useRootData, type RootData } from "./components/root-data";
import stylesheet from "./styles/app.css";
import { getDb } from "./db.server";
import { countUnread } from "./features/forum/notifications.server";
import { canReviewFlags } from "./features/forum/moderation.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const user = context.user;
  const data: RootData = {
    locale: context.locale,
    timeZone: context.timeZone,
    user: user
      ? { id: user.id, displayName: user.displayName, handle: user.handle, role: user.role, emailVerified: user.emailVerified }
      : null,
    // One short scan of a partial index, and only for signed-in members: this loader runs on every page.
    unreadNotifications: user ? await countUnread(await getDb(), user.id) : 0,
    // Moderators, and members who earned the review queue by reputation (one primary-key read).
    mayReview: user ? await canReviewFlags(await getDb(), user) : false,
  };
  return json(data);
}

function Document({ locale, children }: { locale: Locale; children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const data = useLoaderData<typeof loader>();
  return (
    <Document locale={data.locale}>
      <SiteHeader />
      <main id="main" className="main">
        <Outlet />
      </main>
      <SiteFooter />
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRootData();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  return (
    <Document locale={data?.locale ?? "en"}>
      {data ? <SiteHeader /> : null}
      <main id="main" className="main">
        <ErrorPage status={status} />
      </main>
    </Document>
  );
}
