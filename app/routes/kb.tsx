import type { LinksFunction } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import markdownStyles from "../styles/markdown.css";
import kbStyles from "../styles/kb.css";

// Layout of every /kb page: it only links the prose and kb styles, so the rest of the app never loads them.
export const links: LinksFunction = () => [
  { rel: "stylesheet", href: markdownStyles },
  { rel: "stylesheet", href: kbStyles },
];

export default function KbLayout() {
  return <Outlet />;
}
