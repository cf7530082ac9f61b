import { redirect } from "@remix-run/node";

// Browsers ask for /favicon.ico on their own; we ship an SVG icon.
export function loader() {
  return redirect("/favicon.svg", 301);
}
